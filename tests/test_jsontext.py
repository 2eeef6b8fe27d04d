"""The indented JSON writer against the standard library's ``json.dumps`` (the oracle)."""

from __future__ import annotations

import datetime as dt
import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from riskscore.outputs.jsontext import dumps, pieces


def oracle(value):
    """What riskscore wrote before: the value made JSON-ready, then ``json.dumps``."""
    def ready(v):
        if isinstance(v, dict):
            return {str(k): ready(x) for k, x in v.items()}
        if isinstance(v, list | tuple):
            return [ready(x) for x in v]
        if isinstance(v, float):
            return v if math.isfinite(v) else None
        if hasattr(v, "isoformat"):
            return v.isoformat()
        if hasattr(v, "item"):
            return ready(v.item())
        return v
    return json.dumps(ready(value), indent=2, sort_keys=True, ensure_ascii=False,
                      allow_nan=False)


leaves = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True)
          | st.text() | st.dates())
values = st.recursive(leaves, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.text(max_size=6), inner, max_size=4), max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(values)
def test_matches_json_dumps(value):
    assert dumps(value) == oracle(value)


def test_special_values_by_hand():
    payload = {"b": [np.float64(0.1), np.int64(3), np.bool_(True), float("inf")],
               "a": {"when": dt.date(2024, 1, 31), 2: "é\n\"", "empty": {}, "none": []},
               "nan": float("nan"), "t": (1, 2)}
    expected = ('{\n  "a": {\n    "2": "é\\n\\"",\n    "empty": {},\n    "none": [],\n'
                '    "when": "2024-01-31"\n  },\n  "b": [\n    0.1,\n    3,\n    true,\n'
                '    null\n  ],\n  "nan": null,\n  "t": [\n    1,\n    2\n  ]\n}')
    assert dumps(payload) == expected


def test_refuses_what_json_cannot_hold():
    with pytest.raises(TypeError, match="set is not JSON serializable"):
        dumps({"a": {1, 2}})


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(max_size=4), values | st.lists(values, max_size=3), max_size=4))
def test_pieces_join_to_the_same_text(payload):
    assert "".join(pieces(payload)) == oracle(payload)
    # lists given as iterators: written as they are made, the same text
    lazy = {k: iter(v) if isinstance(v, list) else v for k, v in payload.items()}
    assert "".join(pieces(lazy)) == oracle(payload)
