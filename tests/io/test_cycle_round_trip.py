"""What jixiao writes it reads back: a targets or monitoring package rendered to Word and Excel and
imported again is the same package (the tables' titles aside, which the files print, and the empty
indicator rows of the blank form, which hold nothing)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.io import import_package
from jixiao.model import Package
from jixiao.render import render_package
from support.cycle_packages import CAUSES, LIKELIHOODS, monitoring_doc, package, targets_doc


def _comparable(pkg: Package) -> Package:
    """Without titles and empty indicator rows; ticked causes in the form's column order (a tick is
    a mark in a column: the file keeps which, not in what order they were ticked)."""
    def ind(i):
        return i.model_copy(update={"causes": sorted(i.causes, key=CAUSES.index)}) if i.causes else i

    def table(t):
        tree = [l1.model_copy(update={"children": [l2.model_copy(update={"indicators": [
            ind(i) for i in l2.indicators if i.name]}) for l2 in l1.children]}) for l1 in t.indicators]
        return t.model_copy(update={"title": None, "indicators": tree})

    return pkg.model_copy(update={"overall": table(pkg.overall) if pkg.overall else None,
                                  "projects": [table(p) for p in pkg.projects]})


def _round_trip(pkg: Package, fmt: str) -> tuple[Package, list[str]]:
    with tempfile.TemporaryDirectory() as tmp:
        files = render_package(pkg, Path(tmp), [fmt]).files
        f = next(f for f in files if f.suffix == f".{fmt}" and (fmt == "xlsx" or "全套" in f.name))
        result = import_package(f)
    return result.package, [i.describe() for i in result.issues]


tasks = st.lists(st.tuples(st.sampled_from(["城市道路保洁", "市容执法", "园林养护", "公厕管护"]),
                           st.sampled_from(["主次干道机扫", "占道经营整治", "绿地补植"]),
                           st.decimals("0.01", "9999.99", places=2).map(str), st.none() | st.just("100"),
                           st.none() | st.just("20.50")), min_size=1, max_size=4, unique_by=lambda t: t[0])


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tasks=tasks, projects=st.integers(1, 2), fmt=st.sampled_from(["docx", "xlsx"]))
def test_targets_read_back_as_written(tasks, projects, fmt):
    pkg = package(targets_doc(tasks, projects=projects))
    got, issues = _round_trip(pkg, fmt)
    assert _comparable(got) == _comparable(pkg), issues
    assert issues == []


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(causes=st.lists(st.sampled_from(CAUSES), unique=True), likelihood=st.sampled_from(LIKELIHOODS),
       projects=st.integers(1, 2), fmt=st.sampled_from(["docx", "xlsx"]))
def test_monitoring_reads_back_as_written(causes, likelihood, projects, fmt):
    pkg = package(monitoring_doc(causes, likelihood, projects=projects))
    got, issues = _round_trip(pkg, fmt)
    assert _comparable(got) == _comparable(pkg), issues
    assert issues == []


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_the_overall_targets_goal_under_its_caption_is_read(fmt):
    """The 整体 table draws '总体目标 | 年度总体目标' over the goal's text: the text is the goal (it
    was read as the caption itself, and the text was left unread)."""
    pkg = package(targets_doc())
    got, issues = _round_trip(pkg, fmt)
    assert got.overall.goals.expected == pkg.overall.goals.expected and issues == []
