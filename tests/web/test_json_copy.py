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


def _containers(value, path=""):
    if isinstance(value, dict):
        yield path, value
        for k, v in value.items():
            yield from _containers(v, f"{path}.{k}" if path else str(k))
    elif isinstance(value, list):
        yield path, value
        for i, v in enumerate(value):
            yield from _containers(v, f"{path}.{i}" if path else str(i))


sheet_docs = st.fixed_dictionaries({}, optional={
    "basic": st.dictionaries(st.text(max_size=3), json_values, max_size=3),
    "overall": json_values,
    "report": st.dictionaries(st.just("sections"), st.lists(json_values, max_size=3)),
    "projects": st.lists(st.dictionaries(st.text(max_size=3), json_values, max_size=3), max_size=3),
    "fiscal_year": st.integers(),
})
sheet_prefixes = st.sampled_from(["basic", "overall", "report", "projects.0", "projects.1", "projects.2"])


@given(sheet_docs, sheet_prefixes)
def test_a_sheets_copy_shares_nothing_the_sheet_can_change(doc, prefix):
    """copy_for_sheet: equal to the document; every container under the sheet's prefix (and
    above it) new, so writing anything there leaves the base revision as it was."""
    from jixiao.web.packages.formdata import copy_for_sheet

    before = copy.deepcopy(doc)
    got = copy_for_sheet(doc, prefix)
    assert got == doc and got is not doc
    theirs = {id(c) for _, c in _containers(doc)}
    for path, c in _containers(got):
        if path == "" or prefix.startswith(path + ".") or path == prefix or path.startswith(prefix + "."):
            assert id(c) not in theirs, path
    for path, c in _containers(got):  # write everywhere the sheet could
        if path == prefix or path.startswith(prefix + "."):
            if isinstance(c, dict):
                c["written"] = 1
            else:
                c.append(1)
    got["new"] = 1
    assert doc == before
