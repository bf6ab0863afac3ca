"""Provider override schemas: the reference's ``providerSchemas``, shipped verbatim."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from novu_framework.schema.providers import provider_ids, provider_output_schema
from tests.reference import REFERENCE_DIR, node_or_skip

REPO = Path(__file__).resolve().parents[2]
GENERIC = {"type": "object", "properties": {}, "required": [], "additionalProperties": True}

# Provider count per channel and the providers with a specific schema (workflow-api.md §7, which omits
# that one-signal has its own schema too).
SPECIFIC = {
    "chat": ({"slack"}, 11),
    "sms": ({"novu-sms", "twilio"}, 37),
    "email": ({"nodemailer", "mailgun", "mailjet", "novu-email", "sendgrid"}, 21),
    "push": ({"apns", "expo", "fcm", "one-signal"}, 8),  # one-signal: missing from the spec table
    "in_app": ({"novu"}, 1),
}


def compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def test_discovered_provider_schemas_match_the_reference(golden_discover: dict[str, Any]) -> None:
    checked = set()
    for workflow in golden_discover["workflows"]:
        for step in workflow["steps"]:
            for provider in step["providers"]:
                ours = compact(provider_output_schema(step["type"], provider["type"]))
                assert compact(provider["outputs"]["schema"]) == ours
                assert compact(provider["outputs"]["unknownSchema"]) == ours
                checked.add((step["type"], provider["type"]))
    assert ("chat", "slack") in checked and ("chat", "discord") in checked


def test_channels_providers_and_specific_schemas() -> None:
    for channel, (specific, count) in SPECIFIC.items():
        ids = provider_ids(channel)
        assert len(ids) == count == len(set(ids))
        with_own_schema = {pid for pid in ids if provider_output_schema(channel, pid) != GENERIC}
        assert with_own_schema == specific, channel


def test_provider_order_is_the_references() -> None:
    assert provider_ids("chat")[:3] == ["chat-webhook", "discord", "getstream"]
    assert provider_ids("in_app") == ["novu"]


@pytest.mark.parametrize(
    ("channel", "provider", "required_props"),
    [
        ("chat", "slack", {"webhookUrl", "text", "blocks"}),
        ("email", "sendgrid", {"personalizations", "ipPoolName", "mailSettings", "trackingSettings"}),
        ("sms", "twilio", {"to", "from", "body", "mediaUrl", "contentSid"}),
        ("push", "fcm", {"registrationIds", "notification", "data"}),
    ],
)
def test_specific_schemas_carry_their_fields(channel: str, provider: str, required_props: set[str]) -> None:
    schema = provider_output_schema(channel, provider)
    assert required_props <= set(schema["properties"])
    jsonschema.Draft7Validator.check_schema(schema)


def test_strict_provider_schemas_reject_unknown_fields() -> None:
    for channel, provider in (("in_app", "novu"), ("sms", "novu-sms"), ("email", "novu-email")):
        schema = provider_output_schema(channel, provider)
        assert schema["additionalProperties"] is False
        assert not jsonschema.Draft7Validator(schema).is_valid({"anything": 1})


def test_same_objects_every_call() -> None:
    assert provider_output_schema("chat", "slack") is provider_output_schema("chat", "slack")
    ids = provider_ids("push")
    ids.append("mutated")
    assert "mutated" not in provider_ids("push")


def test_unknown_provider_names_channel_id_and_valid_ids() -> None:
    with pytest.raises(ValueError) as info:
        provider_output_schema("chat", "sendgrid")
    message = str(info.value)
    assert "'sendgrid'" in message and "'chat'" in message
    assert all(pid in message for pid in provider_ids("chat"))


@pytest.mark.parametrize("channel", ["inApp", "webhook", "", "custom", "digest"])
def test_unknown_channel_raises_value_error(channel: str) -> None:
    with pytest.raises(ValueError, match="unknown channel"):
        provider_ids(channel)
    with pytest.raises(ValueError, match="unknown channel"):
        provider_output_schema(channel, "slack")


def test_data_files_equal_the_installed_reference() -> None:
    """``dump-reference-schemas.mjs --check`` regenerates both data files in memory and compares bytes."""
    node = node_or_skip("comparing the schema data files with the reference's own dump")
    run = subprocess.run(
        [node, str(REPO / "scripts" / "dump-reference-schemas.mjs"), "--check"],
        env={**os.environ, "NOVU_REFERENCE_DIR": str(REFERENCE_DIR)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stderr
