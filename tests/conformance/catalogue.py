"""The nine workflows of the conformance kit's catalogue (``tests/conformance/data/catalogue.md``), in Python.

Same ids, step ids, order, schemas and resolver behaviour as the TypeScript reference serves. Where a
resolver concatenates strings, ``js_string`` formats values the JavaScript way, as the reference does.
"""

from __future__ import annotations

from typing import Any

from novu_framework import workflow
from novu_framework.jsonutil import js_string

UNITS = ["seconds", "minutes", "hours", "days", "weeks", "months"]

# --- 1. oracle-welcome -------------------------------------------------------------------------

WELCOME_PAYLOAD = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "minLength": 1},
        "plan": {"type": "string", "enum": ["free", "pro", "enterprise"], "default": "free"},
        "items": {"type": "array", "items": {"type": "string"}, "default": []},
        "count": {"type": "integer", "minimum": 0, "default": 1},
        "sendSms": {"type": "boolean", "default": True},
        "address": {
            "type": "object",
            "properties": {
                "city": {"type": "string", "default": "Paris"},
                "zip": {"type": "string", "pattern": "^[0-9]{5}$", "default": "75001"},
            },
            "required": ["city"],
            "additionalProperties": False,
            "default": {},
        },
    },
    "required": ["name"],
    "additionalProperties": False,
}
WELCOME_CONTROLS = {
    "type": "object",
    "properties": {"brandColor": {"type": "string", "default": "#0055ff"}},
    "additionalProperties": False,
}
WELCOME_EMAIL_CONTROLS = {
    "type": "object",
    "properties": {
        "subject": {"type": "string", "default": "Welcome {{payload.name}}!"},
        "body": {
            "type": "string",
            "default": "<h1>Hello {{payload.name}}</h1><p>Plan: {{payload.plan | upcase}}</p><p>You have "
            "{{payload.count | pluralize: 'new message'}}.</p><p>City: {{payload.address.city}}</p>",
        },
        "footer": {
            "type": "string",
            "default": "Sent to {{subscriber.email | default: 'unknown'}} by {{workflow.name}} "
            "({{workflow.workflowId}}) tags={{workflow.tags}} severity={{workflow.severity}}",
        },
    },
    "additionalProperties": False,
}
WELCOME_INAPP_CONTROLS = {
    "type": "object",
    "properties": {
        "subject": {"type": "string", "default": "Hi {{subscriber.firstName | default: 'there'}}"},
        "body": {"type": "string", "default": "Your items: {{payload.items | toSentence}}"},
        "showAction": {"type": "boolean", "default": True},
        "actionUrl": {"type": "string", "default": "/dashboard"},
    },
    "additionalProperties": False,
}
WELCOME_SMS_CONTROLS = {
    "type": "object",
    "properties": {
        "body": {
            "type": "string",
            "default": "Hi {{payload.name}}{% if payload.plan == 'pro' %} (PRO){% endif %}, welcome!"
            "{% for i in payload.items %} #{{i}}{% endfor %}",
        }
    },
    "additionalProperties": False,
}
WELCOME_PUSH_CONTROLS = {
    "type": "object",
    "properties": {
        "title": {"type": "string", "default": "{{payload.name}} joined"},
        "body": {
            "type": "string",
            "default": "{{payload.items | size}} items in your list {{ t.push_footer }}",
        },
        "mute": {"type": "boolean", "default": False},
    },
    "additionalProperties": False,
}
WELCOME_CHAT_CONTROLS = {
    "type": "object",
    "properties": {"body": {"type": "string", "default": "New signup: {{payload.name}} ({{payload.plan}})"}},
    "additionalProperties": False,
}


def _slack(controls: dict[str, Any], outputs: dict[str, Any]) -> dict[str, Any]:
    return {
        "text": "Slack: " + outputs["body"],
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "*" + outputs["body"] + "*"}}],
        "_passthrough": {"body": {"unfurl_links": False}},
    }


async def _discord(controls: dict[str, Any], outputs: dict[str, Any]) -> dict[str, Any]:
    return {"content": "Discord: " + outputs["body"] + " | raw control: " + controls["body"]}


@workflow(
    "oracle-welcome",
    payload_schema=WELCOME_PAYLOAD,
    control_schema=WELCOME_CONTROLS,
    name="Oracle Welcome",
    description="Exercises every channel step, Liquid controls, custom filters, skip and provider overrides.",
    tags=["oracle", "onboarding"],
    severity="high",
    preferences={
        "all": {"enabled": True, "readOnly": False},
        "channels": {
            "email": {"enabled": True},
            "inApp": {"enabled": True},
            "sms": {"enabled": False},
            "push": {"enabled": True},
            "chat": {"enabled": False},
        },
    },
)
async def oracle_welcome(step: Any, payload: dict[str, Any]) -> None:
    await step.email(
        "welcome-email",
        lambda controls: {
            "subject": controls["subject"],
            "body": controls["body"] + "<hr/>" + controls["footer"],
        },
        control_schema=WELCOME_EMAIL_CONTROLS,
    )

    async def inapp(controls: dict[str, Any]) -> dict[str, Any]:
        outputs: dict[str, Any] = {
            "subject": controls["subject"],
            "body": controls["body"],
            "avatar": "https://example.com/avatar.png",
            "redirect": {"url": "https://example.com/welcome"},
            "data": {"plan": payload["plan"], "itemCount": len(payload["items"])},
        }
        if controls["showAction"] is True:
            outputs["primaryAction"] = {"label": "Open dashboard", "redirect": {"url": controls["actionUrl"]}}
        return outputs

    await step.in_app("welcome-inapp", inapp, control_schema=WELCOME_INAPP_CONTROLS)
    await step.sms(
        "welcome-sms",
        lambda controls: {"body": controls["body"]},
        control_schema=WELCOME_SMS_CONTROLS,
        skip=lambda controls: payload.get("sendSms") is False,
    )
    await step.push(
        "welcome-push",
        lambda controls: {"subject": controls["title"], "body": controls["body"]},
        control_schema=WELCOME_PUSH_CONTROLS,
        skip=lambda controls: controls.get("mute") is True,
    )
    await step.chat(
        "welcome-chat",
        lambda controls: {"body": controls["body"]},
        control_schema=WELCOME_CHAT_CONTROLS,
        providers={"slack": _slack, "discord": _discord},
    )


# --- 2. oracle-digest --------------------------------------------------------------------------

DIGEST_PAYLOAD = {
    "type": "object",
    "properties": {"postId": {"type": "string"}, "author": {"type": "string", "default": "Anonymous"}},
    "required": ["postId"],
    "additionalProperties": False,
}
COLLECT_CONTROLS = {
    "type": "object",
    "properties": {
        "amount": {"type": "number", "minimum": 1, "default": 30},
        "unit": {"type": "string", "enum": UNITS, "default": "minutes"},
        "lookBackAmount": {"type": "number", "default": 5},
    },
    "additionalProperties": False,
}
DIGEST_EMAIL_CONTROLS = {
    "type": "object",
    "properties": {
        "subject": {
            "type": "string",
            "default": "{{steps.collect-comments.eventCount}} new comments on post {{payload.postId}}",
        },
        "body": {
            "type": "string",
            "default": "<p>{{steps.collect-comments.events | digest: 2, 'payload.author'}} commented.</p>"
            "<p>{{steps.collect-comments.events | toSentence: 'payload.author', 3}}</p>"
            "<p>{{steps.collect-comments.events | pluralize: 'comment'}}</p>",
        },
    },
    "additionalProperties": False,
}


@workflow("oracle-digest", payload_schema=DIGEST_PAYLOAD, name="Oracle Digest", tags=["oracle", "digest"])
async def oracle_digest(step: Any, payload: dict[str, Any]) -> None:
    digest = await step.digest(
        "collect-comments",
        lambda controls: {
            "amount": controls["amount"],
            "unit": controls["unit"],
            "digestKey": "post-" + payload["postId"],
            "lookBackWindow": {"amount": controls["lookBackAmount"], "unit": "minutes"},
        },
        control_schema=COLLECT_CONTROLS,
    )
    await step.email(
        "digest-email",
        lambda controls: {
            "subject": controls["subject"],
            "body": controls["body"] + "<p>Total events: " + js_string(len(digest.events)) + "</p>",
        },
        control_schema=DIGEST_EMAIL_CONTROLS,
    )


# --- 3. oracle-schedule ------------------------------------------------------------------------

SCHEDULE_PAYLOAD = {
    "type": "object",
    "properties": {
        "sendAt": {"type": "string", "default": "2030-01-01T09:00:00Z"},
        "region": {"type": "string", "enum": ["eu", "us"], "default": "eu"},
    },
    "additionalProperties": False,
}
SHORT_DELAY_CONTROLS = {
    "type": "object",
    "properties": {
        "amount": {"type": "number", "default": 10},
        "unit": {"type": "string", "enum": UNITS, "default": "seconds"},
    },
    "additionalProperties": False,
}
RATE_LIMIT_CONTROLS = {
    "type": "object",
    "properties": {"threshold": {"type": "number", "default": 3}},
    "additionalProperties": False,
}


@workflow(
    "oracle-schedule",
    payload_schema=SCHEDULE_PAYLOAD,
    name="Oracle Schedule",
    description="Delay, timed digest, throttle.",
    tags=["oracle", "schedule"],
    severity="low",
)
async def oracle_schedule(step: Any, payload: dict[str, Any]) -> None:
    short_delay = await step.delay(
        "short-delay",
        lambda controls: {"type": "regular", "amount": controls["amount"], "unit": controls["unit"]},
        control_schema=SHORT_DELAY_CONTROLS,
    )
    await step.delay("timed-delay", lambda controls: {"type": "timed", "cron": "0 9 * * 1"})
    await step.delay("dynamic-delay", lambda controls: {"type": "dynamic", "dynamicKey": "payload.sendAt"})
    daily = await step.digest(
        "daily-digest", lambda controls: {"cron": "0 08 * * *", "digestKey": "region-" + payload["region"]}
    )
    throttle = await step.throttle(
        "rate-limit",
        lambda controls: {
            "type": "fixed",
            "amount": 1,
            "unit": "hours",
            "threshold": controls["threshold"],
            "throttleKey": "region-" + payload["region"],
        },
        control_schema=RATE_LIMIT_CONTROLS,
    )
    await step.in_app(
        "schedule-summary",
        lambda controls: {
            "body": "Waited "
            + js_string(short_delay.duration)
            + "ms; digest had "
            + js_string(len(daily.events))
            + " events; throttled="
            + js_string(throttle.throttled)
        },
    )


# --- 4. oracle-custom --------------------------------------------------------------------------

CUSTOM_PAYLOAD = {
    "type": "object",
    "properties": {"base": {"type": "number", "default": 10}, "label": {"type": "string", "default": "user"}},
    "additionalProperties": False,
}
SCORE_CONTROLS = {
    "type": "object",
    "properties": {"multiplier": {"type": "number", "default": 2}},
    "additionalProperties": False,
}
SCORE_OUTPUTS = {
    "type": "object",
    "properties": {
        "score": {"type": "number"},
        "tier": {"type": "string", "enum": ["low", "high"]},
        "label": {"type": "string"},
        "badges": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["score", "tier"],
    "additionalProperties": False,
}
SCORE_SMS_CONTROLS = {
    "type": "object",
    "properties": {
        "prefix": {"type": "string", "default": "Score for {{payload.label}}:"},
        "echo": {
            "type": "string",
            "default": "liquid sees {{steps.compute-score.score}}/{{steps.compute-score.tier}}",
        },
    },
    "additionalProperties": False,
}


@workflow("oracle-custom", payload_schema=CUSTOM_PAYLOAD, name="Oracle Custom", tags=["oracle"])
async def oracle_custom(step: Any, payload: dict[str, Any]) -> None:
    def compute(controls: dict[str, Any]) -> dict[str, Any]:
        value = float(payload["base"]) * float(controls["multiplier"])
        tier = "high" if value >= 100 else "low"
        return {
            "score": value,
            "tier": tier,
            "label": payload["label"],
            "badges": ["gold"] if tier == "high" else [],
            "debug": "not in outputSchema",
        }

    score = await step.custom(
        "compute-score", compute, control_schema=SCORE_CONTROLS, output_schema=SCORE_OUTPUTS
    )
    await step.sms(
        "score-sms",
        lambda controls: {
            "body": controls["prefix"]
            + " "
            + js_string(score["score"])
            + " ("
            + score["tier"]
            + ") / "
            + controls["echo"]
        },
        control_schema=SCORE_SMS_CONTROLS,
    )
    await step.custom(
        "no-schema-step", lambda controls: {"value": 42, "note": "stripped by the default outputSchema"}
    )


# --- 5. oracle-errors --------------------------------------------------------------------------

ERRORS_PAYLOAD = {
    "type": "object",
    "properties": {
        "mode": {"type": "string", "enum": ["ok", "throw", "bad-output", "provider-throw"], "default": "ok"},
        "reason": {"type": "string", "default": "testing"},
    },
    "additionalProperties": False,
}
EXPLODE_OUTPUTS = {
    "type": "object",
    "properties": {"ok": {"type": "boolean"}},
    "required": ["ok"],
    "additionalProperties": False,
}
STRICT_EMAIL_CONTROLS = {
    "type": "object",
    "properties": {"subject": {"type": "string", "default": "Reason: {{payload.reason}}"}},
    "additionalProperties": False,
}
BAD_TEMPLATE_CONTROLS = {
    "type": "object",
    "properties": {"body": {"type": "string", "default": "{% if payload.mode == 'ok' %}unterminated if"}},
    "additionalProperties": False,
}


@workflow("oracle-errors", payload_schema=ERRORS_PAYLOAD, name="Oracle Errors", tags=["oracle", "errors"])
async def oracle_errors(step: Any, payload: dict[str, Any]) -> None:
    def explode(controls: dict[str, Any]) -> dict[str, Any]:
        if payload["mode"] == "throw":
            raise RuntimeError("Intentional failure: " + payload["reason"])
        return {"ok": True}

    def slack(controls: dict[str, Any], outputs: dict[str, Any]) -> dict[str, Any]:
        if payload["mode"] == "provider-throw":
            raise RuntimeError("Slack override failed")
        return {"text": "slack ok"}

    await step.custom("explode", explode, output_schema=EXPLODE_OUTPUTS)
    await step.email(
        "strict-email",
        lambda controls: {
            "subject": "" if payload["mode"] == "bad-output" else controls["subject"],
            "body": "Body",
        },
        control_schema=STRICT_EMAIL_CONTROLS,
    )
    await step.chat("provider-failure", lambda controls: {"body": "chat body"}, providers={"slack": slack})
    await step.in_app(
        "bad-template", lambda controls: {"body": controls["body"]}, control_schema=BAD_TEMPLATE_CONTROLS
    )


# --- 6. oracle-sanitize ------------------------------------------------------------------------

SANITIZE_PAYLOAD = {
    "type": "object",
    "properties": {
        "html": {
            "type": "string",
            "default": '<p onclick="steal()">Hi</p><script>alert(1)</script>'
            '<a href="https://example.com" target="_blank">link</a>',
        },
        "title": {"type": "string", "default": "Tom & Jerry <3"},
    },
    "additionalProperties": False,
}
_IMG = '<img src="a.png" onerror="x()" alt="a">'


def sanitized_inapp_outputs(payload: dict[str, Any]) -> dict[str, Any]:
    """What step ``sanitized-inapp`` returns before sanitising: HTML at the top and nested in data."""
    return {
        "subject": payload["title"],
        "body": payload["html"],
        "data": {
            "html": payload["html"],
            "list": ["<b>bold</b>", 1, True],
            "nested": {"deep": "<i>deep</i> & more"},
        },
    }


@workflow(
    "oracle-sanitize", payload_schema=SANITIZE_PAYLOAD, name="Oracle Sanitize", tags=["oracle", "sanitize"]
)
async def oracle_sanitize(step: Any, payload: dict[str, Any]) -> None:
    await step.email(
        "sanitized-email",
        lambda controls: {
            "subject": payload["title"],
            "body": "<!DOCTYPE html><html><body>" + payload["html"] + _IMG + "</body></html>",
        },
    )
    await step.email(
        "raw-email",
        lambda controls: {"subject": payload["title"], "body": payload["html"] + _IMG},
        disable_output_sanitization=True,
    )
    await step.in_app("sanitized-inapp", lambda controls: sanitized_inapp_outputs(payload))
    await step.sms("unsanitized-sms", lambda controls: {"body": payload["html"]})


# --- 7. oracle-minimal -------------------------------------------------------------------------


@workflow("oracle-minimal")
async def oracle_minimal(step: Any) -> None:
    await step.in_app("only-step", lambda controls: {"body": "Static body"})


# --- 8. oracle-conditional ---------------------------------------------------------------------

CONDITIONAL_PAYLOAD = {
    "type": "object",
    "properties": {"includeSms": {"type": "boolean", "default": False}},
    "additionalProperties": False,
}


@workflow("oracle-conditional", payload_schema=CONDITIONAL_PAYLOAD)
async def oracle_conditional(step: Any, payload: dict[str, Any]) -> None:
    await step.email("always-email", lambda controls: {"subject": "Always", "body": "always sent"})
    if payload.get("includeSms") is True:
        await step.sms("sometimes-sms", lambda controls: {"body": "sometimes sent"})
    await step.push("final-push", lambda controls: {"subject": "Final", "body": "done"})


# --- 9. oracle-echo ----------------------------------------------------------------------------

ECHO_PAYLOAD = {"type": "object", "additionalProperties": True}
ECHO_CONTROLS = {
    "type": "object",
    "properties": {
        "greeting": {
            "type": "string",
            "default": "Hi {{payload.name}} / {{subscriber.firstName}} / {{payload.nested}} / "
            "{{payload.list | json}} / {{payload.name | size}} / {{context.tenant.id}}",
        }
    },
    "additionalProperties": True,
}
ECHO_OUTPUTS = {
    "type": "object",
    "properties": {
        "payload": {"type": "object"},
        "controls": {"type": "object"},
        "subscriber": {"type": ["object", "null"]},
        "context": {"type": ["object", "null"]},
    },
    "additionalProperties": True,
}


@workflow("oracle-echo", payload_schema=ECHO_PAYLOAD, name="Oracle Echo")
async def oracle_echo(step: Any, payload: dict[str, Any], subscriber: Any, context: Any) -> None:
    await step.custom(
        "echo",
        lambda controls: {
            "payload": payload,
            "controls": controls,
            "subscriber": None
            if subscriber is None
            else subscriber.model_dump(by_alias=True, exclude_unset=True),
            "context": context,
        },
        control_schema=ECHO_CONTROLS,
        output_schema=ECHO_OUTPUTS,
    )


WORKFLOWS = [
    oracle_welcome,
    oracle_digest,
    oracle_schedule,
    oracle_custom,
    oracle_errors,
    oracle_sanitize,
    oracle_minimal,
    oracle_conditional,
    oracle_echo,
]
