"""Every Liquid rendering the conformance cases show, control by control.

The expected strings come from ``golden.json`` / ``deviations.json`` (before the resolvers concatenate them
and before email sanitisation), for the workflows of ``catalogue.md`` that render templates.
"""

from __future__ import annotations

from typing import Any

import pytest

from novu_framework.templating import TemplateCompileError, render_controls, render_string

WELCOME_WORKFLOW = {
    "workflowId": "oracle-welcome",
    "name": "Oracle Welcome",
    "description": (
        "Exercises every channel step, Liquid controls, custom filters, skip and provider overrides."
    ),
    "tags": ["oracle", "onboarding"],
    "severity": "high",
}
DIGEST_WORKFLOW = {
    "workflowId": "oracle-digest",
    "name": "Oracle Digest",
    "tags": ["oracle", "digest"],
    "severity": "none",
}
CUSTOM_WORKFLOW = {
    "workflowId": "oracle-custom",
    "name": "Oracle Custom",
    "tags": ["oracle"],
    "severity": "none",
}
ECHO_WORKFLOW = {"workflowId": "oracle-echo", "name": "Oracle Echo", "tags": [], "severity": "none"}
ERRORS_WORKFLOW = {
    "workflowId": "oracle-errors",
    "name": "Oracle Errors",
    "tags": ["oracle", "errors"],
    "severity": "none",
}

ADA = {
    "subscriberId": "sub-ada",
    "firstName": "Ada",
    "lastName": "Lovelace",
    "email": "ada@example.com",
    "phone": "+15550100",
    "locale": "en-GB",
    "data": {"vip": True},
}

EMAIL_SUBJECT = "Welcome {{payload.name}}!"
EMAIL_BODY = (
    "<h1>Hello {{payload.name}}</h1><p>Plan: {{payload.plan | upcase}}</p>"
    "<p>You have {{payload.count | pluralize: 'new message'}}.</p><p>City: {{payload.address.city}}</p>"
)
EMAIL_FOOTER = (
    "Sent to {{subscriber.email | default: 'unknown'}} by {{workflow.name}} ({{workflow.workflowId}}) "
    "tags={{workflow.tags}} severity={{workflow.severity}}"
)
SMS_BODY = (
    "Hi {{payload.name}}{% if payload.plan == 'pro' %} (PRO){% endif %}, welcome!"
    "{% for i in payload.items %} #{{i}}{% endfor %}"
)
DIGEST_SUBJECT = "{{steps.collect-comments.eventCount}} new comments on post {{payload.postId}}"
DIGEST_BODY = (
    "<p>{{steps.collect-comments.events | digest: 2, 'payload.author'}} commented.</p>"
    "<p>{{steps.collect-comments.events | toSentence: 'payload.author', 3}}</p>"
    "<p>{{steps.collect-comments.events | pluralize: 'comment'}}</p>"
)
ECHO_GREETING = (
    "Hi {{payload.name}} / {{subscriber.firstName}} / {{payload.nested}} / {{payload.list | json}} / "
    "{{payload.name | size}} / {{context.tenant.id}}"
)
FOOTER_ADA = (
    "Sent to ada@example.com by Oracle Welcome (oracle-welcome) tags=['oracle','onboarding'] severity=high"
)
FOOTER_UNKNOWN = (
    "Sent to unknown by Oracle Welcome (oracle-welcome) tags=['oracle','onboarding'] severity=high"
)


def welcome_payload(**given: Any) -> dict[str, Any]:
    """A welcome payload after validation: the schema defaults filled in."""
    payload: dict[str, Any] = {"plan": "free", "items": [], "count": 1, "sendSms": True}
    payload.update(given)
    payload.setdefault("address", {"city": "Paris", "zip": "75001"})
    return payload


def welcome(payload: dict[str, Any], subscriber: Any = None) -> dict[str, Any]:
    return {
        "payload": payload,
        "subscriber": subscriber,
        "context": None,
        "steps": {},
        "workflow": WELCOME_WORKFLOW,
    }


def events(*authors: str) -> list[dict[str, Any]]:
    return [
        {
            "id": f"evt-{index}",
            "time": f"2024-05-0{index}T10:00:00.000Z",
            "payload": {"postId": "post-42", "author": author},
        }
        for index, author in enumerate(authors, start=1)
    ]


def digest(count: int, event_list: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "payload": {"postId": "42", "author": "Anonymous"},
        "subscriber": None,
        "context": None,
        "steps": {"collect-comments": {"eventCount": count, "events": event_list}},
        "workflow": DIGEST_WORKFLOW,
    }


def echo(payload: dict[str, Any], subscriber: Any = None, context: Any = None) -> dict[str, Any]:
    return {
        "payload": payload,
        "subscriber": subscriber,
        "context": context,
        "steps": {},
        "workflow": ECHO_WORKFLOW,
    }


def score(label: str, outputs: dict[str, Any]) -> dict[str, Any]:
    return {
        "payload": {"base": 10, "label": label},
        "subscriber": None,
        "context": None,
        "steps": {"compute-score": outputs},
        "workflow": CUSTOM_WORKFLOW,
    }


ADA_PRO = welcome_payload(name="Ada", plan="pro", items=["keyboard", "mouse", "monitor"], count=3)
QUOTED_NAME = 'Bob "The Builder" O\'Neil \\ éè 你好 🚀\nline2'
LONG_NAME = "Lorem ipsum " * 5000

RENDERINGS: list[tuple[str, str, dict[str, Any], str]] = [
    ("welcome-email-default", EMAIL_SUBJECT, welcome(ADA_PRO, ADA), "Welcome Ada!"),
    (
        "welcome-email-default",
        EMAIL_BODY,
        welcome(ADA_PRO, ADA),
        "<h1>Hello Ada</h1><p>Plan: PRO</p><p>You have 3 new messages.</p><p>City: Paris</p>",
    ),
    ("welcome-email-default", EMAIL_FOOTER, welcome(ADA_PRO, ADA), FOOTER_ADA),
    ("welcome-email-missing-controls", EMAIL_FOOTER, welcome(ADA_PRO), FOOTER_UNKNOWN),
    (
        "welcome-email-defaults-applied",
        EMAIL_SUBJECT,
        welcome(welcome_payload(name="Grace")),
        "Welcome Grace!",
    ),
    (
        "welcome-email-defaults-applied",
        EMAIL_BODY,
        welcome(welcome_payload(name="Grace")),
        "<h1>Hello Grace</h1><p>Plan: FREE</p><p>You have 1 new message.</p><p>City: Paris</p>",
    ),
    ("welcome-email-defaults-applied", EMAIL_FOOTER, welcome(welcome_payload(name="Grace")), FOOTER_UNKNOWN),
    (
        "welcome-email-custom-controls",
        "{{payload.name | upcase}} / {{payload.missing | default: 'n/a'}} / {{ payload.count | plus: 2 }}",
        welcome(ADA_PRO, ADA),
        "ADA / n/a / 5",
    ),
    (
        "welcome-email-custom-controls",
        "{{payload.items | join: ' + '}} {{payload.items | pluralize: 'item'}} "
        "{{payload.items | toSentence: '', 1}}",
        welcome(ADA_PRO, ADA),
        "keyboard + mouse + monitor 3 items keyboard and 2 others",
    ),
    (
        "welcome-email-pluralize-variants",
        "{{payload.count | pluralize: 'person'}}|{{payload.count | pluralize: 'child'}}"
        "|{{1 | pluralize: 'category'}}|{{payload.count | pluralize: 'sheep'}}",
        welcome(welcome_payload(name="P", count=2, items=[])),
        "2 people|2 children|1 category|2 sheep",
    ),
    (
        "welcome-email-pluralize-variants",
        "{{payload.count | pluralize: 'cat', 'kittens'}}|{{payload.count | pluralize: 'box', '', 'false'}}"
        "|[{{payload.items | pluralize: 'item'}}]|{{'3' | pluralize: 'reply'}}",
        welcome(welcome_payload(name="P", count=2, items=[])),
        "2 kittens|boxes|[]|3 replies",
    ),
    (
        "welcome-email-integer-as-float",
        EMAIL_BODY,
        welcome(welcome_payload(name="Ada", count=2)),
        "<h1>Hello Ada</h1><p>Plan: FREE</p><p>You have 2 new messages.</p><p>City: Paris</p>",
    ),
    (
        "welcome-email-quotes-unicode",
        EMAIL_SUBJECT,
        welcome(welcome_payload(name=QUOTED_NAME, items=["über"]), ADA),
        f"Welcome {QUOTED_NAME}!",
    ),
    (
        "welcome-email-quotes-unicode",
        EMAIL_BODY,
        welcome(welcome_payload(name=QUOTED_NAME, items=["über"]), ADA),
        f"<h1>Hello {QUOTED_NAME}</h1><p>Plan: FREE</p><p>You have 1 new message.</p><p>City: Paris</p>",
    ),
    (
        "welcome-email-long-name",
        EMAIL_SUBJECT,
        welcome(welcome_payload(name=LONG_NAME)),
        f"Welcome {LONG_NAME}!",
    ),
    (
        "welcome-email-preview-empty",
        EMAIL_SUBJECT,
        welcome(welcome_payload(name="[placeholder]")),
        "Welcome [placeholder]!",
    ),
    (
        "welcome-inapp-default",
        "Hi {{subscriber.firstName | default: 'there'}}",
        welcome(ADA_PRO, ADA),
        "Hi Ada",
    ),
    ("welcome-inapp-default", "Hi {{subscriber.firstName | default: 'there'}}", welcome(ADA_PRO), "Hi there"),
    (
        "welcome-inapp-default",
        "Your items: {{payload.items | toSentence}}",
        welcome(ADA_PRO, ADA),
        "Your items: keyboard, mouse, and 1 other",
    ),
    ("welcome-sms-pro", SMS_BODY, welcome(ADA_PRO, ADA), "Hi Ada (PRO), welcome! #keyboard #mouse #monitor"),
    (
        "welcome-sms-skip-false",
        SMS_BODY,
        welcome(welcome_payload(name="Free", sendSms=True)),
        "Hi Free, welcome!",
    ),
    ("welcome-push-default", "{{payload.name}} joined", welcome(ADA_PRO), "Ada joined"),
    (
        "welcome-push-default",
        "{{payload.items | size}} items in your list {{ t.push_footer }}",
        welcome(ADA_PRO),
        "3 items in your list {{t.push_footer}}",
    ),
    (
        "welcome-chat-providers",
        "New signup: {{payload.name}} ({{payload.plan}})",
        welcome(ADA_PRO, ADA),
        "New signup: Ada (pro)",
    ),
    (
        "digest-email-three-events",
        DIGEST_SUBJECT,
        digest(3, events("Alice", "Bob", "Carol")),
        "3 new comments on post 42",
    ),
    (
        "digest-email-three-events",
        DIGEST_BODY,
        digest(3, events("Alice", "Bob", "Carol")),
        "<p>Alice, Bob and 1 other commented.</p><p>Alice, Bob, and Carol</p><p>3 comments</p>",
    ),
    ("digest-email-one-event", DIGEST_SUBJECT, digest(1, events("Alice")), "1 new comments on post 42"),
    (
        "digest-email-one-event",
        DIGEST_BODY,
        digest(1, events("Alice")),
        "<p>Alice commented.</p><p>Alice</p><p>1 comment</p>",
    ),
    (
        "digest-email-extra-event-fields",
        DIGEST_BODY,
        digest(1, events("Zed")),
        "<p>Zed commented.</p><p>Zed</p><p>1 comment</p>",
    ),
    (
        "digest-email-filter-edge-cases",
        "{{steps.collect-comments.events | digest: 3, 'payload.author'}}",
        digest(3, events("Alice", "Bob", "Carol")),
        "Alice, Bob and Carol",
    ),
    (
        "digest-email-filter-edge-cases",
        "{{steps.collect-comments.events | digest: 1, 'payload.author', ' / '}}"
        "|{{steps.collect-comments.events | toSentence: 'payload.author', 1}}"
        "|{{steps.collect-comments.events | toSentence: 'payload.author', 2, 'comment'}}"
        "|{{steps.collect-comments.events | toSentence: 'payload.author', 5, 'x', ' ; ', ' & ', "
        "' & finally '}}"
        "|{{steps.collect-comments.events | digest: 2, 'payload.missing'}}"
        "|{{steps.collect-comments.events | size}}|{{steps.collect-comments.events | json}}",
        digest(3, events("Alice", "Bob", "Carol")),
        "Alice and 2 others|Alice and 2 others|Alice, Bob, and 1 comment|Alice ; Bob & finally Carol"
        "|,  and 1 other|3|"
        "[{'id':'evt-1','time':'2024-05-01T10:00:00.000Z','payload':{'postId':'post-42','author':'Alice'}},"
        "{'id':'evt-2','time':'2024-05-02T10:00:00.000Z','payload':{'postId':'post-42','author':'Bob'}},"
        "{'id':'evt-3','time':'2024-05-03T10:00:00.000Z','payload':{'postId':'post-42','author':'Carol'}}]",
    ),
    (
        "digest-email-jsonrepair-failure",
        "{{steps.collect-comments.events | toSentence: 'payload'}}",
        digest(2, events("Alice", "Bob")),
        '{"postId":"post-42","author":"Alice"} and {"postId":"post-42","author":"Bob"}',
    ),
    ("custom-sms-uses-result", "Score for {{payload.label}}:", score("gamer", {}), "Score for gamer:"),
    (
        "custom-sms-uses-result",
        "liquid sees {{steps.compute-score.score}}/{{steps.compute-score.tier}}",
        score("gamer", {"score": 120, "tier": "high", "badges": ["gold"]}),
        "liquid sees 120/high",
    ),
    (
        "custom-sms-float-result",
        "liquid sees {{steps.compute-score.score}}/{{steps.compute-score.tier}}",
        score("user", {"score": 7.5, "tier": "low", "extra": "dropped"}),
        "liquid sees 7.5/low",
    ),
    (
        "error-liquid-fixed-by-controls",
        "{{ payload.reason | no_such_filter }} ok",
        {"payload": {"mode": "ok", "reason": "fixed"}, "steps": {}, "workflow": ERRORS_WORKFLOW},
        "fixed ok",
    ),
    ("sig-js-canonical-body", ECHO_GREETING, echo({"n": 1, "e": "café", "big": 100}), "Hi  /  /  /  / 0 / "),
    (
        "sig-integer-like-keys",
        ECHO_GREETING,
        echo({"b": 1, "10": "ten", "a": 2, "2": "two", "01": "zero-one"}),
        "Hi  /  /  /  / 0 / ",
    ),
    (
        "echo-unicode",
        ECHO_GREETING,
        echo(
            {
                "name": 'Zoë 😀 "quoted" 你好',
                "nested": {"a": [1, 2, {"b": None}], "t": True},
                "list": ["x", "ü"],
            },
            {"subscriberId": "s-é", "firstName": "Jürgen"},
            {"tenant": {"id": "t1", "data": {"plan": "pro"}}},
        ),
        "Hi Zoë 😀 \"quoted\" 你好 / Jürgen / {'a':[1,2,{'b':null}],'t':true} / ['x','ü'] / 17 / t1",
    ),
    ("echo-unicode", "{{ payload.name }}", echo({"name": 'Zoë 😀 "quoted" 你好'}), 'Zoë 😀 "quoted" 你好'),
    ("echo-unicode", "line1\nline2 {{payload.list}}", echo({"list": ["x", "ü"]}), "line1\nline2 ['x','ü']"),
    (
        "echo-quote-and-backslash",
        ECHO_GREETING,
        echo({"name": 'a "q" \\ b'}),
        'Hi a "q" \\ b /  /  /  / 9 / ',
    ),
    (
        "echo-deep-nesting",
        ECHO_GREETING,
        echo({"name": "deep", "tree": {"n": {"end": True}}}),
        "Hi deep /  /  /  / 4 / ",
    ),
    (
        "echo-big-integer",
        ECHO_GREETING,
        echo({"name": "n", "big": 12345678901234567890, "exact": 9007199254740993, "neg": 0, "small": 1e-07}),
        "Hi n /  /  /  / 1 / ",
    ),
    ("echo-empty-subscriber-context", ECHO_GREETING, echo({"name": "e"}, {}, {}), "Hi e /  /  /  / 1 / "),
    ("echo-null-subscriber", ECHO_GREETING, echo({"name": None, "list": []}), "Hi  /  /  / [] / 0 / "),
    ("echo-preview", ECHO_GREETING, echo({"name": "p"}), "Hi p /  /  /  / 1 / "),
]


@pytest.mark.parametrize(
    ("case", "template", "context", "expected"),
    RENDERINGS,
    ids=[f"{case}-{index}" for index, (case, *_rest) in enumerate(RENDERINGS)],
)
def test_conformance_rendering(case: str, template: str, context: dict[str, Any], expected: str) -> None:
    assert render_string(template, context) == expected


def test_echo_control_types_renders_every_value_and_key() -> None:
    controls = {
        "num": 1.5,
        "flag": False,
        "arr": ["{{payload.name}}", 2],
        "obj": {"inner": "{{payload.n | times: 2}}"},
        "{{payload.name}}-key": "v",
        "ws": "{{- payload.name -}}  ",
        "raw": "{% raw %}{{not rendered}}{% endraw %}",
        "greeting": ECHO_GREETING,
    }
    assert render_controls(controls, echo({"name": "k", "n": 5})) == {
        "num": 1.5,
        "flag": False,
        "arr": ["k", 2],
        "obj": {"inner": "10"},
        "k-key": "v",
        "ws": "k",
        "raw": "{{not rendered}}",
        "greeting": "Hi k /  /  /  / 1 / ",
    }


def test_tokenization_error_of_case_error_liquid_tokenize() -> None:
    with pytest.raises(TemplateCompileError) as caught:
        render_controls(
            {"body": "Hello {{ payload.reason"}, {"payload": {}, "steps": {}, "workflow": ERRORS_WORKFLOW}
        )
    assert caught.value.name == "TokenizationError"


def test_parse_error_of_the_bad_template_default() -> None:
    # catalogue §5.4: an ``if`` without ``endif``; the reference reports a ParseError.
    with pytest.raises(TemplateCompileError) as caught:
        render_string("{% if payload.mode == 'ok' %}unterminated if", {"payload": {"mode": "ok"}})
    assert caught.value.name == "ParseError"


def test_reference_template_variables_example() -> None:
    # workflow-api.md §8.2.
    template = (
        "P={{payload.name}} S={{subscriber.firstName}} SD={{subscriber.data.plan}} C={{context.tenant.id}} "
        "ST={{steps.prev.a}} W={{workflow.workflowId}}|{{workflow.name}}|{{workflow.description}}|"
        "{{workflow.tags}}|{{workflow.severity}}"
    )
    context = {
        "payload": {"name": "Bob"},
        "subscriber": {"firstName": "Ada", "data": {"plan": "pro"}},
        "context": {"tenant": {"id": "acme"}},
        "steps": {"prev": {"a": 1}},
        "workflow": {
            "workflowId": "liquid",
            "name": "Liquid WF",
            "description": "desc",
            "tags": ["t1"],
            "severity": "low",
        },
    }
    assert (
        render_string(template, context)
        == "P=Bob S=Ada SD=pro C=acme ST=1 W=liquid|Liquid WF|desc|['t1']|low"
    )
