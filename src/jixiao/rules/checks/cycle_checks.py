"""Checks against the other steps of the cycle (``ctx.cycle``, a jixiao.cycle.CycleContext;
docs/cycle-checks.md): a self-evaluation's (or monitoring table's) 年度指标值 and 分值 are the
approved ones; no approved indicator is dropped or added; open rectification items are answered
in the report's §八 / §九; evidence the bureau requires is attached. Without a cycle context (or
without the part of it a check needs) these checks stay quiet.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ...cycle import (
    indicator_key,
    project_key,
    same_value,
    scaled_weight,
    shown_value,
    weight_scale,
    weights_out_of,
)
from ...forms import part_name, plain_label
from ...model import OverallTable, ProjectTable, fold, value_of
from ...model.package import _EvaluationTable
from ...scoring import iter_indicators, table_name
from ..engine import Context, check
from ..findings import Location
from .evaluation import at, indicator_rows, tables


def _approved_tables(ctx: Context) -> dict[str, _EvaluationTable]:
    """The approved targets' tables by key ('overall', or the project's folded name)."""
    if "approved_tables" not in ctx.cache:
        approved = getattr(ctx.cycle, "approved_targets", None)
        out: dict[str, _EvaluationTable] = {}
        if approved is not None:
            if approved.overall is not None:
                out["overall"] = approved.overall
            for p in approved.projects:
                if project_key(p.project_name):
                    out.setdefault(project_key(p.project_name), p)
        ctx.cache["approved_tables"] = out
    return ctx.cache["approved_tables"]


def _points(value) -> str:
    """A 分值 as a message shows it: 27, 18.5 (no trailing zeros)."""
    text = f"{Decimal(value).quantize(Decimal('0.01')):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _table_key(table: _EvaluationTable) -> str:
    return "overall" if isinstance(table, OverallTable) else project_key(getattr(table, "project_name", None))


def _by_name(table: _EvaluationTable) -> dict[str, tuple[str, object]]:
    """A table's indicators by folded 三级 name, each with its 二级 name (the first of a repeated name)."""
    out: dict[str, tuple[str, object]] = {}
    for _, _, l2, ind in iter_indicators(table, ""):
        key = indicator_key(table, ind.name)[1]
        if key:
            out.setdefault(key, (l2, ind))
    return out


def approved_indicator(ctx: Context, table: _EvaluationTable, ind):
    """The approved version of an indicator of ``table`` (matched by table and 三级 name), or None."""
    approved = _approved_tables(ctx).get(_table_key(table))
    if approved is None:
        return None
    hit = _by_name(approved).get(indicator_key(table, ind.name)[1])
    return None if hit is None else hit[1]


def _placeholder(table: _EvaluationTable) -> bool:
    return isinstance(table, ProjectTable) and not project_key(table.project_name).strip("/")


def _label(ctx: Context, field: str, table: _EvaluationTable) -> str | None:
    from .targets import indicator_column

    return indicator_column(ctx, field, table)


@check("cycle.target_changed", "cycle.weight_changed", "cycle.indicator_missing", "cycle.indicator_added",
       "cycle.project_missing")
def against_approved_targets(ctx: Context) -> None:
    """Each indicator's 年度指标值 and 分值 as approved; the same indicators as approved."""
    approved = _approved_tables(ctx)
    if not approved:
        return
    # approved 分值 are out of the targets pack's total; this table's indicators share what its 执行率
    # weight leaves of this pack's (cycle.weight_scale)
    out_of = weights_out_of(ctx.cycle.approved_targets.form)
    total = Decimal(str(ctx.pack.get("weights", "total", default=100)))
    seen: set[str] = set()
    for table, prefix, _, base in tables(ctx):
        key = _table_key(table)
        if _placeholder(table) or key not in approved:
            continue
        seen.add(key)
        source = approved[key]
        source_names = _by_name(source)
        target_col, weight_col = _label(ctx, "target", table), _label(ctx, "weight", table)
        scale = weight_scale(out_of, value_of(table.funds.weight), total)
        filled = set()
        for path, _, _, ind in indicator_rows(ctx, table, prefix):
            name_key = indicator_key(table, ind.name)[1]
            if not name_key:
                continue
            filled.add(name_key)
            name = plain_label(ind.name or "")
            hit = source_names.get(name_key)
            if hit is None:
                ctx.emit("cycle.indicator_added", at(base, name, None, path), actual=shown_value(ind.target.raw, ind.nature, ind.unit))
                continue
            was = hit[1]
            if not same_value(was.target.raw, ind.target.raw, nature_a=was.nature, unit_a=was.unit,
                              nature_b=ind.nature, unit_b=ind.unit):
                ctx.emit("cycle.target_changed", at(base, name, target_col, f"{path}.target"),
                         expected=shown_value(was.target.raw, was.nature, was.unit),
                         actual=shown_value(ind.target.raw, ind.nature, ind.unit))
            w_was, w_now = value_of(scaled_weight(was.weight, scale)), value_of(ind.weight)
            if weight_col is not None and w_was is not None and w_now is not None and w_was != w_now:
                scaled = "" if scale == 1 else (
                    f"（批复{_points(was.weight)}分，按指标分值合计在本表为"
                    f"{_points(out_of * scale)}分折算）")
                ctx.emit("cycle.weight_changed", at(base, name, weight_col, f"{path}.weight"),
                         expected=_points(w_was), actual=_points(w_now), diff=_points(abs(w_now - w_was)),
                         scaled=scaled)
        for name_key, (l2, was) in source_names.items():
            if name_key not in filled:
                ctx.emit("cycle.indicator_missing", at(base, plain_label(was.name or ""), None, f"{prefix}.indicators"),
                         level2=l2, expected=shown_value(was.target.raw, was.nature, was.unit))
    _projects_missing(ctx, approved, seen)


def _projects_missing(ctx: Context, approved: dict[str, _EvaluationTable], seen: set[str]) -> None:
    """An approved project with no table of its own in this package (on forms that have project tables)."""
    if "project" not in ctx.form.get("parts", {}):
        return
    for key, source in approved.items():
        if key == "overall" or key in seen:
            continue
        part, _ = table_name(source, None, ctx.form)
        ctx.emit("cycle.project_missing", Location(part=part, row=source.project_name, path="projects"),
                 project=source.project_name)


# ------------------------------------------------------------------ rectification


def key_pieces(text: str, stop_chars: str) -> set[str]:
    """The pieces a problem is recognised by: every two-character run of its words, the text cut
    at punctuation and at the pack's function characters ('的', '了', '和' …) first."""
    pieces = set()
    for run in re.findall(r"[0-9A-Za-z\u4e00-\u9fff]+", fold(text)):
        for segment in re.split(f"[{re.escape(stop_chars)}]", run) if stop_chars else [run]:
            pieces.update(segment[i:i + 2] for i in range(len(segment) - 1))
    return pieces


def addressed_share(problem: str, answer: str, stop_chars: str) -> Decimal | None:
    """The share of the problem's key pieces the answer holds; None when the problem has none."""
    pieces = key_pieces(problem, stop_chars)
    if not pieces:
        return None
    text = re.sub(r"\s+", "", fold(answer))
    return Decimal(sum(1 for p in pieces if p in text)) / Decimal(len(pieces))


@check("cycle.rectification_unaddressed")
def open_rectifications(ctx: Context) -> None:
    """Each rectification item still open is answered in the report's sections the pack names
    (§八 下一步改进措施, §九 结果应用): enough of its key pieces appear there."""
    items = getattr(ctx.cycle, "open_rectifications", ()) or ()
    report = ctx.package.report
    if not items or report is None or "report" not in ctx.form:
        return
    conf = ctx.pack.get("rectification", default={}) or {}
    numbers = conf.get("sections", [8, 9])
    share_needed = Decimal(str(conf.get("match_share", "0.5")))
    stop_chars = conf.get("stop_chars", "")
    titles = {s["number"]: s["title"] for s in ctx.form["report"]["sections"]}
    answer = "\n".join(s.body for n in numbers if (s := report.section(n)) is not None)
    numerals = "一二三四五六七八九十"
    where = "或".join(f"第{numerals[n - 1]}部分（{titles.get(n, '')}）" for n in numbers)
    for item in items:
        if item.closed:
            continue
        share = addressed_share(item.problem, answer, stop_chars)
        if share is None or share >= share_needed:
            continue
        ctx.emit("cycle.rectification_unaddressed",
                 Location(part=part_name("report", ctx.form), row=f"第{numbers[0]}部分 {titles.get(numbers[0], '')}",
                          path=f"report.sections.{numbers[0] - 1}"),
                 problem=item.problem, year=f"{item.year}年度" if item.year else "以往",
                 due=f"，整改期限{item.due.isoformat()}" if item.due else "", sections=where,
                 share=f"{(share * 100).quantize(Decimal('1'))}%", limit=f"{(share_needed * 100).quantize(Decimal('1'))}%")


# ------------------------------------------------------------------ evidence


@check("cycle.evidence_missing")
def required_evidence(ctx: Context) -> None:
    """An indicator the bureau requires evidence for (by 三级 name) has evidence attached."""
    required = {project_key(n) for n in getattr(ctx.cycle, "evidence_required", ()) or () if project_key(n)}
    if not required:
        return
    attached = getattr(ctx.cycle, "evidence", frozenset()) or frozenset()
    for table, prefix, _, base in tables(ctx):
        for path, _, _, ind in indicator_rows(ctx, table, prefix):
            key = indicator_key(table, ind.name)
            if key[1] in required and key not in attached:
                ctx.emit("cycle.evidence_missing", at(base, plain_label(ind.name or ""), None, path),
                         actual=ind.actual.raw)
