"""Paths, diff and the three-way merge behind the optimistic lock (property tests)."""

from __future__ import annotations

import copy

from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.web.packages.docpaths import diff, flatten, get_path, merge, resolve, set_path, unflatten

FIELDS = ["prev_final", "budget", "final"]
amounts = st.one_of(st.none(), st.just("/"), st.decimals(min_value=0, max_value=99999, places=2).map(str))


@st.composite
def documents(draw):
    items = draw(st.lists(st.fixed_dictionaries({"name": st.text(min_size=1, max_size=6),
                                                 **{f: amounts for f in FIELDS}}), max_size=5))
    return {"fiscal_year": 2023, "unit_name": "单位",
            "basic": {"sangong": {f: draw(amounts) for f in FIELDS}, "district_special_items": items}}


@st.composite
def edits(draw, doc):
    """Change some leaves of a document (cells only, rows stay)."""
    out = copy.deepcopy(doc)
    leaves = [p for p in flatten(doc) if p.rsplit(".", 1)[-1] in FIELDS]
    for path in draw(st.lists(st.sampled_from(leaves), unique=True, max_size=4)) if leaves else []:
        set_path(out, path, draw(amounts))
    return out


@settings(max_examples=60, deadline=None)
@given(documents())
def test_it_round_trips_flatten(doc):
    assert unflatten(flatten(doc)) == doc


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_it_merges_disjoint_edits_without_conflict(data):
    base = data.draw(documents())
    mine = data.draw(edits(base))
    theirs = data.draw(edits(base))
    merged, conflicts = merge(base, mine, theirs)
    mine_changed = {c.path for c in diff(base, mine)}
    theirs_changed = {c.path for c in diff(base, theirs)}
    clash = {p for p in mine_changed & theirs_changed if get_path(mine, p) != get_path(theirs, p)}
    assert {c.path for c in conflicts} == clash
    for p in mine_changed - clash:
        assert get_path(merged, p) == get_path(mine, p)  # my edit survives
    for p in theirs_changed - mine_changed:
        assert get_path(merged, p) == get_path(theirs, p)  # their edit is never lost
    # Picking a side for each conflict gives exactly that side's value.
    both = resolve(merged, conflicts, {c.path: "mine" for c in conflicts})
    for c in conflicts:
        assert get_path(both, c.path) == get_path(mine, c.path)


def test_it_treats_a_list_changed_on_both_sides_as_one_conflict():
    base = {"basic": {"items": [{"name": "甲", "final": "1"}]}}
    mine = {"basic": {"items": [{"name": "甲", "final": "1"}, {"name": "乙"}]}}
    theirs = {"basic": {"items": [{"name": "甲", "final": "2"}]}}
    merged, conflicts = merge(base, mine, theirs)
    assert [c.path for c in conflicts] == ["basic.items"]
    assert merged == theirs
    assert resolve(merged, conflicts, {"basic.items": "mine"}) == mine


def test_it_takes_my_added_rows_when_they_did_not_touch_the_list():
    base = {"basic": {"items": [], "note": None}}
    mine = {"basic": {"items": [{"name": "乙"}], "note": None}}
    theirs = {"basic": {"items": [], "note": "他们的说明"}}
    merged, conflicts = merge(base, mine, theirs)
    assert not conflicts and merged == {"basic": {"items": [{"name": "乙"}], "note": "他们的说明"}}


def test_it_reads_blank_and_missing_alike():
    assert diff({"a": {"b": None}}, {"a": {}}) == []
    assert [c.path for c in diff({"a": {"b": None}}, {"a": {"b": "1"}})] == ["a.b"]
