"""JSON Schema of the interchange contract, generated from the typed records in ``model.py``
(the single source of truth): one schema per record kind, with ``record`` as the discriminator.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any

from eventwatch import __version__
from eventwatch.model import RECORD_KINDS, Article

JSON_TYPES: dict[type, str] = {str: "string", int: "integer", float: "number", bool: "boolean"}


def contract_schema() -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) accepting any one record of ``eventwatch extract``."""
    definitions: dict[str, Any] = {}
    kinds = []
    for cls, kind in RECORD_KINDS.items():
        body = _object_schema(cls, definitions)
        body["properties"] = {"record": {"const": kind}, **body["properties"]}
        body["required"] = ["record", *body["required"]]
        if cls is Article:
            body["properties"]["content_hash"] = {"type": "string"}
            body["properties"].pop("origin", None)
            body["required"] = [r for r in body["required"] if r != "origin"]
        definitions[kind] = body
        kinds.append({"$ref": f"#/$defs/{kind}"})
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"eventwatch interchange record (eventwatch {__version__})",
        "oneOf": kinds,
        "$defs": definitions,
    }


def _object_schema(cls: type, definitions: dict[str, Any]) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    properties: dict[str, Any] = {}
    required: list[str] = []
    for f in dataclasses.fields(cls):
        properties[f.name] = _type_schema(hints[f.name], definitions)
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            required.append(f.name)
    return {"type": "object", "properties": properties, "required": required}


def _type_schema(hint: Any, definitions: dict[str, Any]) -> dict[str, Any]:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return {"anyOf": [_type_schema(a, definitions) for a in args]}
    if origin is typing.Literal:
        return {"enum": list(args)}
    if origin is tuple:
        return {"type": "array", "items": _type_schema(args[0], definitions)}
    if hint is type(None):
        return {"type": "null"}
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        name = hint.__name__
        if name not in definitions:
            definitions[name] = {}  # placeholder against recursion
            definitions[name] = _object_schema(hint, definitions)
        return {"$ref": f"#/$defs/{name}"}
    if hint in JSON_TYPES:
        return {"type": JSON_TYPES[hint]}
    raise TypeError(f"no JSON Schema for {hint!r}")
