"""Target review (绩效目标审核, docs/cycle-checks.md): the money of a 绩效目标申报表 adds up, every
level the template requires has an indicator, a cost indicator exists, weights add up, and each
指标值 is measurable — no vague words, and a quantity with its sign, number and unit.

The indicator-quality check also runs on a self-evaluation's 年度指标值 where its pack enables it
(the seed's "持续推进", "全面提升"). Word lists, required levels and the weight total are the pack's.
"""

from __future__ import annotations

from functools import lru_cache

from ...cycle import comparable
from ...forms import caption_name, column_labels, plain_label
from ...model import ProjectTable, fold, value_of
from ...model.package import _EvaluationTable
from ..engine import Context, check
from . import cell_sum, differs
from .evaluation import at, fund_rows, indicator_rows, overall_base, tables


def indicator_column(ctx: Context, field: str, table: _EvaluationTable) -> str | None:
    """The label of an indicator column on this kind of table (a form may print a field under
    another label on the 整体 table: 指标值 there, 年度指标值 on a 项目 table); None when absent."""
    part = "project" if isinstance(table, ProjectTable) else "overall"
    for col in ctx.form["evaluation"]["indicator_columns"]:
        if col["field"] == field and part in col.get("parts", [part]):
            return plain_label(col["label"])
    return None


def indicator_name(ind) -> str:
    return plain_label(ind.name or "") or "（未命名指标）"


# ------------------------------------------------------------------ money


@check("target.mid_term_funds_split")
def mid_term_funds(ctx: Context) -> None:
    """中期资金总额 = 财政拨款 + 其他资金 (the year's column is eval.*_funds_split's)."""
    labels = column_labels("funds", ctx.form)
    if "mid_term_budget" not in labels:
        return
    for table, prefix, _, base in tables(ctx):
        rows = fund_rows(ctx, table)
        parts = cell_sum([getattr(table, row).mid_term_budget for row, _ in rows])
        total = value_of(table.funds.mid_term_budget)
        if parts is None or total is None or not differs(total, parts, ctx.tol()):
            continue
        ctx.emit("target.mid_term_funds_split",
                 at(base, caption_name("evaluation", "project_funds", ctx.form) if isinstance(table, ProjectTable)
                    else caption_name("evaluation", "overall_funds", ctx.form), labels["mid_term_budget"],
                    f"{prefix}.funds.mid_term_budget"),
                 expected=parts, actual=total, diff=total - parts, parts="、".join(label for _, label in rows))


def _task_labels(ctx: Context) -> dict[str, str]:
    spec = ctx.form["evaluation"].get("tasks") or {}
    return {c["field"]: plain_label(c["label"]) for c in spec.get("columns", [])}


@check("target.task_split", "target.tasks_total", "target.tasks_vs_funds")
def tasks(ctx: Context) -> None:
    """年度主要任务: each row's 总额 = 财政拨款 + 其他资金; the 金额合计 = the sum of the rows, column
    by column; the 整体 table's year budget, where written, equals the 金额合计."""
    overall = ctx.package.overall
    spec = ctx.form["evaluation"].get("tasks")
    if overall is None or not spec:
        return
    labels = _task_labels(ctx)
    base = overall_base(ctx)
    section = caption_name("evaluation", "tasks", ctx.form)
    for i, task in enumerate(overall.tasks):
        parts, total = cell_sum([task.fiscal, task.other]), value_of(task.total)
        if parts is not None and total is not None and differs(total, parts, ctx.tol()):
            ctx.emit("target.task_split", at(base, f"{section}·{task.name or f'第{i + 1}项'}", labels.get("total"),
                                             f"overall.tasks.{i}.total"),
                     expected=parts, actual=total, diff=total - parts, parts=f"{labels.get('fiscal')}、{labels.get('other')}")
    total_label = plain_label(spec.get("total_label") or "金额合计")
    for field in ("total", "fiscal", "other"):
        rows = cell_sum([getattr(t, field) for t in overall.tasks])
        written = value_of(getattr(overall.tasks_total, field))
        if rows is not None and written is not None and differs(written, rows, ctx.tol()):
            ctx.emit("target.tasks_total", at(base, f"{section}·{total_label}", labels.get(field), f"overall.tasks_total.{field}"),
                     expected=rows, actual=written, diff=written - rows, count=len(overall.tasks))
    budget, tasks_total = value_of(overall.funds.initial_budget), value_of(overall.tasks_total.total)
    if budget is not None and tasks_total is not None and differs(budget, tasks_total, ctx.tol()):
        ctx.emit("target.tasks_vs_funds", at(base, f"{section}·{total_label}", labels.get("total"), "overall.tasks_total.total"),
                 expected=budget, actual=tasks_total, diff=tasks_total - budget)


# ------------------------------------------------------------------ the indicator tree


def _level2_held(table: _EvaluationTable) -> dict[str, int]:
    held: dict[str, int] = {}
    for l1 in table.indicators:
        for l2 in l1.children:
            named = [ind for ind in l2.indicators if plain_label(ind.name or "")]
            held[fold(l2.name)] = held.get(fold(l2.name), 0) + len(named)
    return held


def _indicators_caption(ctx: Context) -> str:
    return caption_name("evaluation", "indicators", ctx.form)


@check("target.level2_missing", "target.cost_missing")
def required_levels(ctx: Context) -> None:
    """Every 二级指标 the pack requires has at least one named 三级指标, and so does 成本指标."""
    required = ctx.pack.get("target_review", "required_level2", default=[])
    cost = ctx.pack.get("target_review", "cost_level2")
    for table, prefix, _, base in tables(ctx):
        held = _level2_held(table)
        for name in required:
            if not held.get(fold(name)):
                ctx.emit("target.level2_missing", at(base, f"{_indicators_caption(ctx)}·{name}", None, f"{prefix}.indicators"),
                         level2=name)
        if cost and not held.get(fold(cost)):
            ctx.emit("target.cost_missing", at(base, f"{_indicators_caption(ctx)}·{cost}", None, f"{prefix}.indicators"),
                     level2=cost)


@check("target.weights_total")
def weights_total(ctx: Context) -> None:
    """Where weights (分值) are set, the indicators' weights add up to the pack's total."""
    if ctx.pack.get("weights", "total") is None:
        return
    want = ctx.pack.number("weights", "total")
    for table, prefix, _, base in tables(ctx):
        weights = [value_of(ind.weight) for *_, ind in indicator_rows(ctx, table, prefix)]
        total = cell_sum(weights)
        if total is None or total == want:
            continue
        blank = sum(1 for w in weights if w is None)
        ctx.emit("target.weights_total",
                 at(base, caption_name("evaluation", "total", ctx.form), indicator_column(ctx, "weight", table),
                    f"{prefix}.total_weight"),
                 expected=want, actual=total, diff=total - want,
                 blank=f"（另有{blank}项未填分值）" if blank else "")


# ------------------------------------------------------------------ indicator quality


def vague_word(text: str, words: list[str]) -> str | None:
    """The first vague word of the pack's list a 指标值 holds, unless it also states a figure
    ('进一步提高至95%' states what is meant)."""
    folded = fold(text)
    if any(map(str.isdigit, folded)):
        return None
    return next((w for w, f in _folded_words(tuple(words)) if f in folded), None)


@lru_cache(maxsize=64)
def _folded_words(words: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    # A pack's word list, folded once: every indicator value of every package is read against it.
    return tuple((w, fold(w)) for w in words)


def missing_parts(raw: str, *, nature: str | None, unit: str | None, require_sign: bool,
                  calendar_units: frozenset[str]) -> list[str]:
    """What a quantitative 指标值 lacks of sign, number and unit ('符号', '计量单位'); [] when
    complete, or when it is not a quantity (qualitative values are judged by the word lists). A
    deadline ('12月底前') names its unit and needs no sign (``calendar_units``: the pack's, folded)."""
    value = comparable(raw, nature, unit)
    if value is None:
        return []
    missing = []
    deadline = value.unit is not None and value.unit in calendar_units
    if require_sign and value.direction is None and not deadline:
        missing.append("符号（≥、≤、=）")
    if value.unit is None:
        missing.append("计量单位")
    return missing


def _quality_fields(ctx: Context, table: _EvaluationTable) -> list[tuple[str, str]]:
    """(model field, column label) of the 指标值 columns this form prints on this table."""
    out = []
    for field in ctx.pack.get("target_review", "value_fields", default=["target", "mid_term_target"]):
        label = indicator_column(ctx, field, table)
        if label is not None:
            out.append((field, label))
    return out


@check("target.vague", "target.unmeasurable")
def indicator_quality(ctx: Context) -> None:
    """Each 指标值 is measurable: no vague word of the pack's list ("持续推进", "全面提升" …) unless
    it is one of the pack's accepted qualitative values, and a quantity states its sign, number
    and unit ("≥95%", "≤30万元", "=12次")."""
    words = ctx.pack.get("target_review", "vague_words", default=[])
    accepted = {fold(w) for w in ctx.pack.get("target_review", "qualitative_values", default=[])}
    require_sign = bool(ctx.pack.get("rules", "target.unmeasurable", "require_sign", default=True))
    calendar = frozenset(fold(u) for u in ctx.pack.get("target_review", "calendar_units", default=[]))
    for table, prefix, _, base in tables(ctx):
        fields = _quality_fields(ctx, table)
        for path, _, _, ind in indicator_rows(ctx, table, prefix):
            for field, label in fields:
                raw = (getattr(ind, field).raw or "").strip()
                if not raw or raw == "/" or fold(raw).replace(" ", "") in accepted:
                    continue
                word = vague_word(raw, words)
                if word is not None:
                    ctx.emit("target.vague", at(base, indicator_name(ind), label, f"{path}.{field}"), actual=raw,
                             word=word, column_label=label)
                    continue
                missing = missing_parts(raw, nature=ind.nature, unit=ind.unit, require_sign=require_sign,
                                        calendar_units=calendar)
                if missing:  # (the location is built only for a finding: most values have none)
                    ctx.emit("target.unmeasurable", at(base, indicator_name(ind), label, f"{path}.{field}"),
                             actual=raw, missing="和".join(missing), column_label=label)

