"""Incremental checking equals a full check: random edits of random cells of every part, one
after another, each checked from the last result (jixiao.rules.incremental) and from scratch."""

from __future__ import annotations

import json
from functools import cache

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from jixiao.api import check_package
from jixiao.model import Package
from jixiao.rules.incremental import EVERYTHING, READS, changed_parts, check_changed, part_dumps, reads
from support.corpus import reference_corpus


@cache
def _bases() -> list[str]:
    corpus = reference_corpus()
    # The seed, the clean unit, drafted reports, a package without a report, garbled reports.
    return [p.model_dump_json() for p in (corpus[0], corpus[1], corpus[2], corpus[5], corpus[-40], corpus[-1])]


def _leaves(node, path=()):
    if isinstance(node, dict):
        for k, v in node.items():
            if k != "parsed":
                yield from _leaves(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _leaves(v, (*path, i))
    else:
        yield path, node


def _put(doc, path, value):
    for key in path[:-1]:
        doc = doc[key]
    doc[path[-1]] = value


_VALUES = st.one_of(
    st.none(), st.just("/"), st.just(""),
    st.decimals(min_value=-500, max_value=5000, places=2, allow_nan=False).map(str),
    st.decimals(min_value=0, max_value=100, places=1, allow_nan=False).map(str),
    st.integers(min_value=0, max_value=300).map(str),
    st.sampled_from(["100%", "≥95%", "10个", "已完成", "部分完成", "未完成", "2023年", "优", "良", "中"]),
)


def _edit(data, doc: dict) -> None:
    part = data.draw(st.sampled_from(["basic", "overall", "projects", "report", "report", "meta"]))
    if part == "meta":
        doc["unit_name"] = doc["unit_name"] + data.draw(st.sampled_from(["", "局", "中心"]))
        return
    if part == "projects" and doc["projects"] and data.draw(st.integers(0, 5)) == 0:
        doc["projects"].pop(data.draw(st.integers(0, len(doc["projects"]) - 1)))
        return
    leaves = list(_leaves(doc.get(part), (part,)))
    assume(leaves)
    path, old = data.draw(st.sampled_from(leaves))
    if isinstance(old, str) and len(old) > 12:  # prose: change one digit, or one character
        digits = [i for i, ch in enumerate(old) if ch.isdigit()]
        i = data.draw(st.sampled_from(digits)) if digits else data.draw(st.integers(0, len(old) - 1))
        new = old[:i] + data.draw(st.sampled_from("0123456789，。")) + old[i + 1 :]
    else:
        new = data.draw(_VALUES)
    _put(doc, path, new)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(st.data())
def test_incremental_checks_equal_full_checks(data):
    doc = json.loads(data.draw(st.sampled_from(_bases())))
    result = check_package(Package.model_validate(doc))
    for _ in range(data.draw(st.integers(1, 4))):
        _edit(data, doc)
        try:
            package = Package.model_validate(doc)
        except ValidationError:
            assume(False)
        incremental = check_changed(result, package)
        full = check_package(package)
        assert json.dumps(incremental.to_dict(), ensure_ascii=False) == json.dumps(full.to_dict(), ensure_ascii=False)
        assert incremental.findings == full.findings
        result = incremental


def test_an_unchanged_package_reruns_nothing(monkeypatch):
    from jixiao.rules import engine

    pkg = Package.model_validate_json(_bases()[0])
    first = check_package(pkg)
    ran = []
    real = engine.run_checks_apart

    def spy(*args, **kwargs):
        out = real(*args, **kwargs)
        ran.extend(out)
        return out

    monkeypatch.setattr("jixiao.rules.incremental.run_checks_apart", spy)
    again = check_changed(first, Package.model_validate_json(_bases()[0]))
    assert ran == [] and again.findings == first.findings


def test_a_report_edit_reruns_only_what_reads_the_report(monkeypatch):
    doc = json.loads(_bases()[0])
    first = check_package(Package.model_validate(doc))
    doc["report"]["sections"][1]["body"] += "补充说明。"
    ran = []
    real = check_changed.__globals__["run_checks_apart"]

    def spy(*args, **kwargs):
        out = real(*args, **kwargs)
        ran.extend(out)
        return out

    monkeypatch.setattr("jixiao.rules.incremental.run_checks_apart", spy)
    check_changed(first, Package.model_validate(doc))
    assert ran and all("report" in reads(fn) for fn in ran)
    assert not any(fn.__name__ == "subtotals" for fn in ran)


def test_a_change_of_decimal_places_is_a_change():
    pkg = Package.model_validate_json(_bases()[0])
    other = pkg.model_copy(deep=True)
    other.basic.sangong.final = other.basic.sangong.final.quantize(__import__("decimal").Decimal("0.001"))
    assert changed_parts(part_dumps(pkg), part_dumps(other)) == {"basic"}
    other.unit_name = "另一单位"
    assert changed_parts(part_dumps(pkg), part_dumps(other)) == set(EVERYTHING)


@pytest.mark.parametrize("name", sorted(READS))
def test_every_declared_check_exists(name):
    from jixiao.rules.engine import checks_in_order

    assert name in {f"{fn.__module__}.{fn.__qualname__}" for fn in checks_in_order()}


class _Recording:
    """A package that notes which of its top-level fields are read."""

    def __init__(self, package: Package, seen: set[str]):
        object.__setattr__(self, "_package", package)
        object.__setattr__(self, "_seen", seen)

    def __getattr__(self, name: str):
        self._seen.add(name)
        return getattr(self._package, name)


@pytest.mark.parametrize("base", range(6))
def test_each_check_reads_no_part_it_does_not_declare(base):
    """The declarations hold whatever the data: each check, run alone on a package that notes
    what is read, reads only the parts READS gives it (other top-level fields count for all)."""
    from jixiao.forms import load_form
    from jixiao.rules import load_pack
    from jixiao.rules.engine import Context, checks_in_order

    pack = load_pack()
    package = Package.model_validate_json(_bases()[base])
    meta = set(Package.model_fields) - EVERYTHING
    for fn in checks_in_order():
        seen: set[str] = set()
        ctx = Context(package=_Recording(package, seen), pack=pack, form=load_form(pack.get("form")))
        fn(ctx)
        assert seen - meta <= reads(fn), f"{fn.__module__}.{fn.__qualname__} reads {sorted(seen - meta)}"
