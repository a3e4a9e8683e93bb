"""The record's JSON Schema: generated from the item class, and it validates output."""

from __future__ import annotations

import json

import jsonschema
import pytest
from itemadapter import ItemAdapter

from newsbot.items import ArticleRecord
from newsbot.schema import SCHEMA_PATH, load_schema, record_schema


def test_the_shipped_schema_file_matches_the_item_class():
    assert load_schema() == record_schema(), (
        f"{SCHEMA_PATH} is stale: regenerate it with `python -m newsbot.schema`"
    )


def test_every_field_is_documented():
    schema = record_schema()
    undocumented = [k for k, v in schema["properties"].items() if not v.get("description")]
    assert undocumented == []


def _record(**kw):
    base = dict(
        id="0" * 32, url="https://a.example/x", canonical_url="https://a.example/x", source="s"
    )
    base.update(kw)
    return json.loads(json.dumps(ItemAdapter(ArticleRecord(**base)).asdict()))


def test_a_record_validates_and_nulls_are_allowed_where_values_may_be_absent():
    jsonschema.validate(_record(), load_schema())
    jsonschema.validate(_record(title="T", authors=["A B"], removed={"promo": 2}), load_schema())


@pytest.mark.parametrize(
    "change",
    [
        {"authors": "A B"},  # a string where a list belongs
        {"word_count": "12"},
        {"removed": {"promo": "two"}},
        {"unexpected": 1},
    ],
)
def test_the_schema_rejects_malformed_records(change):
    data = _record()
    data.update(change)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, load_schema())
