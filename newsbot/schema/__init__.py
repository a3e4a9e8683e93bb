"""The JSON Schema of the exported record, generated from :class:`ArticleRecord`.

The item class is the single source of truth: field names, types and the attribute
docstrings (as descriptions) are read from it. ``article.schema.json`` beside this
module is the generated schema, kept in the repository for users and tools; a test
checks that it matches the class. Regenerate with ``python -m newsbot.schema``.
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import json
import sys
import types
import typing
from pathlib import Path
from typing import Any

from newsbot.items import ArticleRecord

SCHEMA_PATH = Path(__file__).with_name("article.schema.json")

# Fields whose string values have a known format.
_FORMATS = {"url": "uri", "canonical_url": "uri", "image": "uri", "fetched_at": "date-time"}


def attribute_docs(cls: type) -> dict[str, str]:
    """Docstrings written under each attribute of a class body (PEP 257 attribute
    docstrings, not kept at run time, so read from the source)."""
    tree = ast.parse(inspect.getsource(cls))
    body = tree.body[0].body  # type: ignore[attr-defined]
    docs: dict[str, str] = {}
    for node, following in zip(body, body[1:], strict=False):
        if (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            docs[node.target.id] = " ".join(following.value.value.split())
    return docs


def _json_type(annotation: Any) -> dict[str, Any]:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (types.UnionType, typing.Union):
        kinds = [_json_type(a) for a in args if a is not type(None)]
        schema = dict(kinds[0])
        if type(None) in args:
            schema["type"] = [schema["type"], "null"]
        return schema
    if origin is list:
        return {"type": "array", "items": _json_type(args[0])}
    if origin is dict:
        return {"type": "object", "additionalProperties": _json_type(args[1])}
    return {
        str: {"type": "string"},
        int: {"type": "integer"},
        float: {"type": "number"},
        bool: {"type": "boolean"},
    }[annotation]


def record_schema(cls: type = ArticleRecord, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a record class."""
    hints = typing.get_type_hints(cls)
    docs = attribute_docs(cls)
    properties: dict[str, Any] = {}
    for fld in dataclasses.fields(cls):
        prop = _json_type(hints[fld.name])
        if fld.name in _FORMATS:
            prop["format"] = _FORMATS[fld.name]
        if fld.name in docs:
            prop["description"] = docs[fld.name]
        properties[fld.name] = prop
    properties.update(extra or {})
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://newsbot.invalid/schema/article.schema.json",
        "title": "newsbot article record",
        "description": " ".join((cls.__doc__ or "").split()),
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def load_schema() -> dict[str, Any]:
    """The schema file shipped with the package."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def main() -> None:
    text = json.dumps(record_schema(), indent=2, ensure_ascii=False) + "\n"
    if "--check" in sys.argv:
        sys.exit(0 if SCHEMA_PATH.read_text(encoding="utf-8") == text else 1)
    SCHEMA_PATH.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
