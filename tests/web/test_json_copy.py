"""The save's copy of a document (formdata.json_copy) is a deep copy of JSON data: equal, and
nothing shared that a posted cell could change in the base revision."""

from __future__ import annotations

import copy

from hypothesis import given
from hypothesis import strategies as st

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4),
    max_leaves=30)


@given(json_values)
def test_json_copy_is_a_deep_copy(doc):
    from jixiao.web.packages.formdata import json_copy

    got = json_copy(doc)
    assert got == copy.deepcopy(doc)

    def containers(value):
        if isinstance(value, dict):
            yield value
            for v in value.values():
                yield from containers(v)
        elif isinstance(value, list):
            yield value
            for v in value:
                yield from containers(v)

    assert not {id(c) for c in containers(got)} & {id(c) for c in containers(doc)}
