"""Pydantic models as schemas: validation by Pydantic, a draft-07 JSON Schema our validator accepts."""

from __future__ import annotations

import datetime
import enum
from pathlib import Path
from typing import Any, Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field

from novu_framework.schema import JsonSchema, ModelSchema, compile_schema, model_to_json_schema


class Address(BaseModel):
    city: str = "Paris"
    zip: str = Field(default="75001", pattern=r"^[0-9]{5}$")


class Payload(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    plan: Literal["free", "pro"] = "free"
    count: int = Field(default=1, ge=0)
    address: Address = Address()
    tags: list[str] = []


class Color(str, enum.Enum):
    RED = "red"
    BLUE = "blue"


class Cat(BaseModel):
    kind: Literal["cat"]
    meow: bool = True


class Dog(BaseModel):
    kind: Literal["dog"]
    bark: int = 2


class Everything(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    first_name: str = Field(alias="firstName", title="First name")
    maybe: Address | None = None
    by_key: dict[str, Address] = {}
    pair: tuple[int, str] = (1, "a")
    rest: tuple[int, ...] = ()
    either: int | str = 0
    color: Color = Color.RED
    when: datetime.datetime | None = None
    path: Path | None = None
    pet: Cat | Dog = Field(default_factory=lambda: Cat(kind="cat"), discriminator="kind")
    slug: str = Field(default="a", pattern=r"^(?P<head>[a-z])[a-z0-9]*$")
    extra_key: str = Field(default="", json_schema_extra={"example": "x", "x-internal": True})
    hex_color: str = Field(default="#fff", json_schema_extra={"format": "color"})


def test_validation_applies_defaults_and_dumps_json() -> None:
    result = compile_schema(Payload).validate({"name": "Ada", "address": {"city": "Lyon"}})
    assert result.ok
    assert result.data == {
        "name": "Ada",
        "plan": "free",
        "count": 1,
        "address": {"city": "Lyon", "zip": "75001"},
        "tags": [],
    }


def test_errors_are_json_pointers_with_pydantic_messages() -> None:
    result = compile_schema(Payload).validate({"name": "", "count": -1, "address": {"zip": "1"}, "x": 1})
    assert not result.ok
    assert result.errors == [
        {"path": "/name", "message": "String should have at least 1 character"},
        {"path": "/count", "message": "Input should be greater than or equal to 0"},
        {"path": "/address/zip", "message": "String should match pattern '^[0-9]{5}$'"},
        {"path": "/x", "message": "Extra inputs are not permitted"},
    ]


def test_root_and_list_errors() -> None:
    assert compile_schema(Payload).validate("nope").errors[0]["path"] == ""
    result = compile_schema(Payload).validate({"name": "a", "tags": ["x", 5]})
    assert result.errors == [{"path": "/tags/1", "message": "Input should be a valid string"}]


def test_extra_keys_are_dropped_unless_forbidden() -> None:
    assert compile_schema(Address).validate({"city": "X", "junk": 1}).data == {"city": "X", "zip": "75001"}


def test_input_is_not_mutated() -> None:
    payload: dict[str, Any] = {"name": "Ada", "tags": ["x"]}
    result = compile_schema(Payload).validate(payload)
    assert result.ok
    result.data["tags"].append("y")
    assert payload == {"name": "Ada", "tags": ["x"]}


def test_to_python_builds_the_model() -> None:
    schema = compile_schema(Payload)
    instance = schema.to_python(schema.validate({"name": "Ada"}).data)
    assert isinstance(instance, Payload)
    assert instance.address.city == "Paris"
    assert schema.model is Payload


def test_aliases_are_the_wire_names() -> None:
    schema = compile_schema(Everything)
    assert schema.validate({"firstName": "Ada"}).data["firstName"] == "Ada"
    assert "firstName" in schema.json_schema["properties"]


def test_big_integers_survive_a_model() -> None:
    class Big(BaseModel):
        n: int

    assert compile_schema(Big).validate({"n": 12345678901234567890}).data == {"n": 12345678901234567890}


def test_json_schema_is_draft07_for_a_simple_model() -> None:
    assert model_to_json_schema(Payload) == {
        "definitions": {
            "Address": {
                "properties": {
                    "city": {"default": "Paris", "type": "string"},
                    "zip": {"default": "75001", "pattern": "^[0-9]{5}$", "type": "string"},
                },
                "type": "object",
            }
        },
        "additionalProperties": False,
        "properties": {
            "name": {"minLength": 1, "type": "string"},
            "plan": {"default": "free", "enum": ["free", "pro"], "type": "string"},
            "count": {"default": 1, "minimum": 0, "type": "integer"},
            "address": {"$ref": "#/definitions/Address", "default": {"city": "Paris", "zip": "75001"}},
            "tags": {"default": [], "items": {"type": "string"}, "type": "array"},
        },
        "required": ["name"],
        "type": "object",
    }


def test_converted_schema_of_a_rich_model_is_accepted_by_our_strict_validator() -> None:
    converted = model_to_json_schema(Everything)
    text = repr(converted)
    for gone in (
        "$defs",
        "prefixItems",
        "discriminator",
        "'format': 'path'",
        "x-internal",
        "'example'",
        "'Cat'}",
    ):
        assert gone not in text
    assert "title" not in converted["definitions"]["Cat"]
    assert converted["properties"]["hex_color"] == {
        "default": "#fff",
        "type": "string",
    }  # unknown format dropped
    assert converted["properties"]["firstName"]["title"] == "First name"
    assert converted["properties"]["pair"]["items"] == [{"type": "integer"}, {"type": "string"}]
    assert converted["properties"]["slug"]["pattern"] == "^(?<head>[a-z])[a-z0-9]*$"
    compiled = JsonSchema(converted)
    result = compiled.validate({"firstName": "Ada", "maybe": {"city": "X"}, "pet": {"kind": "dog"}})
    assert result.ok, result.errors
    assert not compiled.validate({"firstName": 1}).ok


def test_defaults_inside_combinators_are_left_out_for_strict_mode() -> None:
    converted = model_to_json_schema(Everything)
    # Address is reached through anyOf (Optional) and additionalProperties (dict), where ajv rejects defaults
    assert "default" not in converted["definitions"]["Address"]["properties"]["city"]
    assert (
        converted["properties"]["color"]["default"] == "red"
    )  # a property default outside combinators stays


def test_model_mock_is_valid_for_the_model() -> None:
    for model in (Payload, Everything, Address):
        schema = compile_schema(model)
        assert schema.validate(schema.mock()).ok


def test_model_schema_direct_use() -> None:
    schema = ModelSchema(Address)
    assert schema.json_schema is schema.json_schema
    assert schema.mock() == {"city": "Paris", "zip": "75001"}


@pytest.mark.parametrize("data", [None, [], 5])
def test_non_object_input(data: Any) -> None:
    result = compile_schema(Payload).validate(data)
    assert not result.ok
    assert result.errors[0]["path"] == ""
