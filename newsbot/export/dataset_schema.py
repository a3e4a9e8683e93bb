"""The dataset record's JSON Schema and field types, derived from :class:`ArticleRecord`.

A dataset record is an :class:`~newsbot.items.ArticleRecord` with every field present,
plus ``duplicates``: the URLs of the copies that deduplication folded into it. The
record class stays the single source of truth: field names, types and descriptions are
read from it, so a field added there reaches the dataset schema, the JSON Lines shards
and the Parquet columns without an edit here.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import re
import types
import typing
from dataclasses import dataclass
from importlib import resources
from typing import Any, Literal

from newsbot.items import ArticleRecord
from newsbot.schema import attribute_docs, record_schema

Kind = Literal["string", "nullable_string", "integer", "string_list", "count_map"]
"""The value shapes a record field can take; each maps to one JSON and one Arrow type."""

DUPLICATES_FIELD = "duplicates"
DUPLICATES_DESCRIPTION = (
    "URLs of the copies removed as duplicates of this record (same text, or the same "
    "story near-duplicated across outlets or URLs), sorted; empty when there were none."
)

# Where the crawl's own record schema lives, when the project ships one.
_PACKAGED_SCHEMA = "schema/article.schema.json"


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One field of a dataset record."""

    name: str
    kind: Kind
    default: Any
    required: bool
    """True when an input record must carry the field (the record class has no default)."""
    description: str


def _kind_of(annotation: Any) -> Kind:
    if annotation is str:
        return "string"
    if annotation is int:
        return "integer"
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (types.UnionType, typing.Union) and set(args) == {str, type(None)}:
        return "nullable_string"
    if origin is list and args == (str,):
        return "string_list"
    if origin is dict and args == (str, int):
        return "count_map"
    # A new field type must be given a JSON and an Arrow mapping here, deliberately.
    raise TypeError(f"ArticleRecord field type {annotation!r} has no dataset mapping")


def documented_keys(spec: FieldSpec) -> list[str]:
    """The keys a count-map field's docstring names (as ``code``), e.g. the cleaning
    kinds of ``removed``."""
    return re.findall(r"``(\w+)``", spec.description)


def dataset_fields() -> list[FieldSpec]:
    """The fields of a dataset record, in output order: the record class's, then
    ``duplicates``."""
    hints = typing.get_type_hints(ArticleRecord)
    docs = attribute_docs(ArticleRecord)
    specs: list[FieldSpec] = []
    for field in dataclasses.fields(ArticleRecord):
        if field.default is not dataclasses.MISSING:
            default: Any = field.default
            required = False
        elif field.default_factory is not dataclasses.MISSING:
            default = field.default_factory()
            required = False
        else:
            default = None
            required = True
        specs.append(
            FieldSpec(
                name=field.name,
                kind=_kind_of(hints[field.name]),
                default=default,
                required=required,
                description=docs.get(field.name, ""),
            )
        )
    specs.append(
        FieldSpec(
            name=DUPLICATES_FIELD,
            kind="string_list",
            default=[],
            required=False,
            description=DUPLICATES_DESCRIPTION,
        )
    )
    return specs


def generate_record_schema() -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) of a dataset record: the crawl's record schema,
    from the one generator (:func:`newsbot.schema.record_schema`), plus ``duplicates``.

    Every field is required: the exporter writes each one, with the record class's
    default where the input lacked it, so loaders see one fixed set of columns.
    """
    schema = record_schema(extra={DUPLICATES_FIELD: _duplicates_property()})
    schema.pop("$id", None)
    schema["title"] = "newsbot dataset record"
    schema["description"] = (
        "One article of a newsbot dataset: a clean ArticleRecord, deduplicated, "
        "with the URLs of the removed copies in `duplicates`."
    )
    return schema


def _duplicates_property() -> dict[str, Any]:
    return {"type": "array", "items": {"type": "string"}, "description": DUPLICATES_DESCRIPTION}


def packaged_record_schema() -> dict[str, Any] | None:
    """The crawl's record schema shipped in ``newsbot/schema/``, when there is one."""
    resource = resources.files("newsbot").joinpath(_PACKAGED_SCHEMA)
    if not resource.is_file():
        return None
    loaded = json.loads(resource.read_text(encoding="utf-8"))
    return loaded if isinstance(loaded, dict) else None


def dataset_schema() -> dict[str, Any]:
    """The schema copied into a dataset: the project's record schema when it ships one
    (so the dataset and the crawl output share one definition), plus ``duplicates``;
    otherwise the schema generated from the record class."""
    base = packaged_record_schema()
    if base is None:
        return generate_record_schema()
    schema = copy.deepcopy(base)
    schema.setdefault("properties", {})[DUPLICATES_FIELD] = _duplicates_property()
    required = list(schema.get("required", []))
    if DUPLICATES_FIELD not in required:
        required.append(DUPLICATES_FIELD)
    schema["required"] = required
    return schema
