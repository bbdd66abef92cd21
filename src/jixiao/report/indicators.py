"""Goals and performance prose against the indicators: the 年度总体目标 of each table (预期目标 /
实际完成情况) and the report's §六 state counts, areas and rates that the indicator rows hold.

A figure is tied to an indicator only when the words around it cover the indicator's name
(or end with the same head noun, '整改率') and the units agree; it is a finding only when
it agrees with neither the 年度指标值 nor the 实际完成值 of any indicator it may mean.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from ..forms import caption_name, column_labels, part_name
from ..model import Indicator
from ..model.values import ParsedValue, parse_indicator_value
from ..rules.checks.evaluation import indicator_rows
from ..rules.engine import Context, check
from ..rules.findings import Location
from ..scoring import table_name
from ..text import squeeze
from .figures import Figure, figures_of
from .text import Folded, bigrams, clause_at, common_run, fold_text, name_key, sentences, share_of
from .view import report_sentences

THRESHOLD = 0.6
_GENERIC_TAIL = re.compile(r"(?:数量|条数|个数|次数|场次|人数|面积|金额|数)$")
_AREA = {"平方米", "m2", "㎡"}


@dataclass(frozen=True)
class Measured:
    kind: str
    value: Decimal
    tolerance: Decimal
    unit: str


@dataclass(slots=True)
class Target:
    """An indicator row as a figure may name it (read-only once made: not frozen, as a frozen
    dataclass costs five times as much to make, and a package has a hundred of these)."""

    table: str  # '整体支出绩效自评表' or '项目支出绩效自评表（业务工作经费）'
    prefix: str  # model prefix of the table: 'overall', 'projects.0'
    indicator: Indicator
    core: str  # the name as matched, generic tail ('数量', '面积') removed
    # What score() compares of the name, worked out once: each is compared with every figure.
    grams: frozenset[str] = dataclasses.field(init=False, repr=False, compare=False)
    tail: str = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.grams = bigrams(self.core)
        self.tail = name_key(self.core)[-2:]

    def values(self) -> list[tuple[str, Measured]]:
        out = []
        for column, value in (("target", self.indicator.target), ("actual", self.indicator.actual)):
            m = measured_text(value.raw)
            if m is not None:
                out.append((column, m))
        return out


@lru_cache(maxsize=8192)
def measured_text(raw: str | None) -> Measured | None:
    # By the raw text, which is what the parsed value is always computed from: hashing a
    # string is cheaper than hashing the parsed model.
    return measured(parse_indicator_value(raw))


def measured(p: ParsedValue) -> Measured | None:
    if p.kind != "quantity" or p.number is None:
        return None
    exp = p.number.as_tuple().exponent
    half = Decimal(5).scaleb(-((-exp if isinstance(exp, int) and exp < 0 else 0) + 1))
    scale = (p.magnitude / p.number) if p.number else Decimal(1)
    unit = p.unit or ""
    if unit == "%":
        return Measured("percent", p.number, half, "%")
    if unit == "元":
        return Measured("amount", p.magnitude / 10_000, half * scale / 10_000, "元")
    return Measured("count", p.magnitude, half * scale, "平方米" if unit in _AREA else unit)


class Pool(list):
    """The indicators a figure may be about, with an index by (kind, unit) of their values so
    that a figure is compared only with indicators measured the same way."""

    def __init__(self, targets: list[Target], index: dict | None = None):
        super().__init__(targets)
        if index is None:
            index = {}
            for t in self:
                groups: dict[tuple[str, str], list[tuple[str, Measured]]] = {}
                for column, m in t.values():
                    groups.setdefault((m.kind, m.unit), []).append((column, m))
                for key, values in groups.items():
                    index.setdefault(key, []).append((t, values))
        self.by_measure: dict[tuple[str, str], list[tuple[Target, list[tuple[str, Measured]]]]] = index

    def of_table(self, prefix: str) -> Pool:
        """The indicators of one table, with their share of the index (the same order)."""
        index = {}
        for key, entries in self.by_measure.items():
            mine = [e for e in entries if e[0].prefix == prefix]
            if mine:
                index[key] = mine
        return Pool([t for t in self if t.prefix == prefix], index)


def targets(ctx: Context, only: str | None = None) -> Pool:
    key = f"report.targets.{only}"
    if key not in ctx.cache:
        # The indicators of every table are found once; a table's own pool is its share of them.
        ctx.cache[key] = Pool(_targets(ctx)) if only is None else targets(ctx).of_table(only)
    return ctx.cache[key]


def _targets(ctx: Context) -> list[Target]:
    pkg = ctx.package
    tables = [("overall", None, pkg.overall)] + [(f"projects.{i}", i, p) for i, p in enumerate(pkg.projects)]
    out = []
    for prefix, index, table in tables:
        if table is None:
            continue
        label = table_name(table, index, ctx.form)[1]
        for _, _, _, ind in indicator_rows(ctx, table, prefix):
            core = _core(ind.name or "")
            if len(core) >= 2:
                out.append(Target(label, prefix, ind, core))
    return out


@lru_cache(maxsize=8192)
def _core(name: str) -> str:
    # A year in a name ('2023年下划及非税总收入') would tie it to any '2023年…' clause.
    return _GENERIC_TAIL.sub("", re.sub(r"20\d\d年度?", "", name_key(name)))


def score(target: Target, fig: Figure, context: str | None = None) -> float:
    """How well the words around a figure (``context``: its subject and after phrase, when the
    caller has them joined already) name the indicator."""
    context = fig.subject + fig.after if context is None else context
    return _score(target, context, bigrams(context), name_key(context))


def _score(target: Target, context: str, grams: frozenset[str], key: str) -> float:
    """score() with the context's character pairs and compared form (``grams``, ``key``) given:
    a figure is scored against every indicator measured like it."""
    cover = share_of(target.grams, grams)
    # The tail rule needs the name's last two characters in the context; most pairs fail
    # that cheap test, which spares the substring search below.
    if target.tail not in key:
        return cover
    run = common_run(target.core, context)
    tail = len(run) >= 3 and target.core.endswith(run[-2:])
    return max(cover, 0.75 if tail else 0.0)


def disagreement(fig: Figure, pool: Pool) -> Target | None:
    """The indicator a figure means and disagrees with, or None (agrees, or means none)."""
    if fig.approximate:
        return None
    # The indicators measured like the figure (an area in any of its spellings is one unit).
    entries = pool.by_measure.get((fig.kind, "平方米" if fig.unit in _AREA else fig.unit))
    if not entries:
        return None
    candidates = []
    context = fig.subject + fig.after
    grams, key = bigrams(context), name_key(context)
    for t, values in entries:
        s = _score(t, context, grams, key)
        if s >= THRESHOLD:
            candidates.append((s, t, values))
    if not candidates:
        return None
    for _, _, values in candidates:
        for _, m in values:
            if abs(m.value - fig.value) <= max(m.tolerance, fig.tolerance):
                return None
    return max(candidates, key=lambda c: c[0])[1]


def _read(text: str) -> list[tuple[str, Folded, list[Figure]]]:
    """Each sentence of ``text`` with its folded form and its figures."""
    out = []
    for sentence in sentences(text):
        folded = fold_text(sentence)
        out.append((sentence, folded, figures_of(folded)))
    return out


def _check_text(ctx: Context, rule: str, read: list[tuple[str, Folded, list[Figure]]], pool: Pool, base: Location,
                where: str, field: str) -> None:
    """``read``: the sentences of a text (``_read``); ``field``: the indicator column (target or
    actual) a figure of them must agree with."""
    for sentence, folded, figures in read:
        for fig in figures:
            target = disagreement(fig, pool)
            if target is None:
                continue
            value = target.indicator.actual if field == "actual" else target.indicator.target
            column = column_labels("indicator", ctx.form)[field]
            ctx.emit(rule, base.model_copy(update={"quote": sentence}), expected=value.raw,
                     actual=folded.original(fig.start, fig.end), where=where,
                     clause=clause_at(folded, fig.start, fig.end), table=target.table,
                     indicator=squeeze(target.indicator.name or ""), column=column)


@check("report.goal_mismatch")
def goals(ctx: Context) -> None:
    pkg = ctx.package
    tables = [("overall", None, pkg.overall)] + [(f"projects.{i}", i, p) for i, p in enumerate(pkg.projects)]
    for prefix, index, table in tables:
        if table is None:
            continue
        part, label = table_name(table, index, ctx.form)
        pool = targets(ctx, only=prefix)
        goals = caption_name("evaluation", "goals", ctx.form)
        for fld, field in (("expected", "target"), ("actual", "actual")):
            column_label = caption_name("evaluation", f"goals_{fld}", ctx.form)
            text = getattr(table.goals, fld)
            if not text or not pool:
                continue
            base = Location(part=part, index=index, table=label, row=goals, column=column_label,
                            path=f"{prefix}.goals.{fld}")
            _check_text(ctx, "report.goal_mismatch", _read(text), pool, base, f"{label}“{goals}”的“{column_label}”", field)


@check("report.indicator_mismatch")
def performance_prose(ctx: Context) -> None:
    if ctx.package.report is None or not ctx.package.report.sections:
        return
    conf = ctx.pack.rules.get("report.indicator_mismatch") or {}
    wanted = set(conf.get("sections", [6]))
    pool = targets(ctx)
    if not pool:
        return
    # The sentences the report's view has read already, section by section.
    by_section: dict[int, list] = {}
    for s in report_sentences(ctx):
        if s.section.number in wanted:
            by_section.setdefault(s.index, []).append(s)
    for index, said in by_section.items():
        first = said[0]
        base = Location(part=part_name("report", ctx.form), row=first.heading, path=f"report.sections.{index}.body")
        read = [(s.text, s.folded, s.figures) for s in said]
        _check_text(ctx, "report.indicator_mismatch", read, pool, base, first.where, "actual")
