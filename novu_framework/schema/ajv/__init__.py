"""A JSON Schema (draft-07) compiler with ajv 8's observable behaviour, laid out as ajv is.

A schema is compiled once into a tree of closures. A compiled check takes the (already copied) data,
mutates it the way ajv does (``useDefaults``, ``removeAdditional: "failing"``) and returns ``None`` when
valid, else a tuple of ``(instancePath, message)`` errors. The traversal mirrors ajv's code generator,
which fixes the order of keywords and therefore which error comes first:

* a schema's keywords run by group: keywords for any type (``$ref``, ``const``, ``enum``, ``not``,
  ``anyOf``, ``oneOf``, ``allOf``, ``if``), then the number, string, array and object groups, each guarded
  by a type test;
* ``type`` is tested up front unless the schema has a single type with keywords of that type's group, in
  which case the group's type test reports it (``{"type": "string", "minLength": 1, "enum": [...]}``
  reports ``enum`` first for a number);
* in first-error mode a schema stops at its first failing keyword; combinators collect their branches'
  errors and append their own (``oneOf`` stops at its second passing branch); inside a combinator
  ("composite" context) a failed up-front type test still lets the any-type group run, and ``if``/``then``
  failures add ``must match "then" schema``;
* defaults are inserted at the start of the object (and tuple) group, before ``required``; inside a
  combinator a default is a strict-mode error, as in ajv;
* ``additionalProperties: false`` deletes extra properties and a failing ``additionalProperties`` schema
  deletes the property, without an error, also while trying ``anyOf``/``oneOf`` branches.

All-errors mode (``Options.all_errors``) runs every keyword instead of stopping; it is used for the second
pass that lists every violation. It tries combinator branches on copies, so that a removal made while trying
one branch never shows up as a violation of the next.

Not replicated: ``$ref`` resolves JSON pointers within the schema (``#``, ``#/definitions/...``, also under a
root ``$id``) but not other documents; ajv's reading of inherited JavaScript properties
(``required: ["toString"]`` passes there) is not copied.

The modules follow ajv's sources:

* :mod:`.validate`: the driver (``lib/compile/validate/index.ts``, ``dataType.ts``);
* :mod:`.defaults`: ``useDefaults`` (``lib/compile/validate/defaults.ts``);
* :mod:`.context`: options and compile context (``lib/compile/index.ts``, ``util.ts``);
* :mod:`.rules`: keyword groups and type tests (``lib/compile/rules.ts``);
* :mod:`.checks`: errors and how checks combine (``lib/compile/errors.ts``);
* the vocabularies (``lib/vocabularies/``): :mod:`.core`, :mod:`.validation`, :mod:`.applicator`,
  :mod:`.format`, and :mod:`.patterns` for the pattern helper they share (``code.ts``).
"""

from __future__ import annotations

from novu_framework.schema.ajv.checks import Check, Errors
from novu_framework.schema.ajv.context import Options
from novu_framework.schema.ajv.rules import KNOWN_KEYWORDS
from novu_framework.schema.ajv.validate import compile_root

__all__ = ["KNOWN_KEYWORDS", "Check", "Errors", "Options", "compile_root"]
