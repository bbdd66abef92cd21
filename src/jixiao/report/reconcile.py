"""Reconciliation of the 自评报告 with the tables: a checker stage (CHECK_MODULES).

Precision over recall: a figure is compared only when its subject names exactly one table
cell; a disagreement that a known scope difference explains (§二 covers 一般公共预算 only)
is an info finding that says so; anything ambiguous is left alone.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..forms import caption_name, column_labels, figure_label, row_name
from ..model import money
from ..rules.checks import differs
from ..rules.engine import Context, check
from ..scoring import grade
from . import indicators, lists  # noqa: F401  (importing registers their checks)
from .facts import CONNECTOR, cell, describe
from .figures import Figure
from .text import name_key
from .view import Sentence, Stated, report_view

UNITS = {"amount": "万元", "percent": "%"}


def reconcile(package, pack=None) -> list:
    """The report.* findings on a package: its report against its tables."""
    from ..rules.engine import load_pack, run_checks

    return [f for f in run_checks(package, pack or load_pack()) if f.rule.startswith("report.")]


def _unit(st: Stated) -> str:
    return UNITS.get(st.spec.kind) or st.figure.unit


def _show(value: Decimal, kind: str) -> Decimal:
    return money(value) if kind in ("amount", "percent") else value.normalize()


@check("report.amount_mismatch", "report.scope_difference")
def stated_figures(ctx: Context) -> None:
    view = report_view(ctx)
    if view is None:
        return
    for st in view.stated:
        fig, spec = st.figure, st.spec
        table = cell(ctx.package, spec.path)
        if table is None or fig.approximate:
            continue  # '约400万元' is not meant to the cent
        extra = {"amount": ctx.tol(), "percent": ctx.tol("percent")}.get(spec.kind, Decimal(0))
        if fig.agrees(table, extra):
            continue
        s = st.sentence
        source = describe(spec.path, ctx.form, view.year)
        scope = view.scope(s)
        if spec.kind == "amount" and scope and fig.value < table:
            explanation = explain_scope(view, st, table, scope)
            if explanation:
                ctx.emit("report.scope_difference", s.location(), expected=money(table), actual=money(fig.value),
                         diff=money(table - fig.value), where=s.where, clause=s.clause(fig), subject=spec.label,
                         source=source, scope=scope["name"], explanation=explanation)
                continue
        ctx.emit("report.amount_mismatch", s.location(), expected=_show(table, spec.kind),
                 actual=_show(fig.value, spec.kind), diff=_show(fig.value - table, spec.kind), unit=_unit(st),
                 where=s.where, clause=s.clause(fig), subject=spec.label, source=source)


def explain_scope(view, st: Stated, table: Decimal, scope: dict) -> str | None:
    """Why a scoped section may state less than the table, when the figures show it."""
    tol = view.ctx.tol()
    excluded = view.excluded(scope)
    if not excluded:
        return None
    ex_total = sum((v for _, v in excluded), Decimal(0))
    ex_text = "、".join(f"“{label}”{money(v)}万元" for label, v in excluded)
    gap = table - st.figure.value
    income = cell(view.package, f"overall.income.{scope['income']}")
    pair_paths = ("overall.spending.basic", "overall.spending.project")
    text = None
    by_income = caption_name("evaluation", "income", view.ctx.form)
    if st.spec.path in pair_paths and income is not None:
        pair = [view.stated_in_section(st.sentence.index, p) for p in pair_paths]
        if all(pair):
            stated = sum((p.figure.value for p in pair), Decimal(0))
            gaps = sum((cell(view.package, p.spec.path) or Decimal(0)) - p.figure.value for p in pair)
            if not differs(stated, income, tol) and not differs(gaps, ex_total, tol):
                basic, project = (row_name("spending", f, view.ctx.form) for f in ("basic", "project"))
                text = (f"报告所列{basic}{money(pair[0].figure.value)}万元与{project}{money(pair[1].figure.value)}万元"
                        f"合计{money(stated)}万元，等于“{by_income}”中的“{scope['name']}”{money(income)}万元，"
                        f"两项差额合计{money(gaps)}万元，等于{ex_text}")
    if text is None:
        if any(not differs(gap, v, tol) for _, v in excluded):
            label, v = next(lv for lv in excluded if not differs(gap, lv[1], tol))
            text = f"差额{money(gap)}万元等于“{by_income}”中的“{label}”{money(v)}万元"
        elif len(excluded) > 1 and not differs(gap, ex_total, tol):
            text = f"差额{money(gap)}万元等于{ex_text}之和"
    if text is not None and st.spec.list:
        text += _list_breakdown(view, st, gap)
    return text


def _list_breakdown(view, st: Stated, gap: Decimal) -> str:
    """For the project total: the omitted and short-listed projects that make up the gap."""
    plist = next((pl for pl in view.project_lists() if pl.stated is st), None)
    if plist is None:
        return ""
    pieces = [(f"报告未列出的“{r.name}”", r.final) for r in plist.omitted]
    for item in plist.items:
        final = item.row.final if item.row else None
        if final is not None and item.figure.value < final:
            pieces.append((f"“{item.row.name}”少列的", final - item.figure.value))
    total = sum((v for _, v in pieces), Decimal(0))
    if not pieces or differs(total, gap, view.ctx.tol()):
        return ""
    return f"；{row_name('spending', 'project', view.ctx.form)}差额" + f"{money(gap)}万元即" + "与".join(f"{t}{money(v)}万元" for t, v in pieces) + "之和"


@check("report.sum_mismatch")
def listed_parts(ctx: Context) -> None:
    view = report_view(ctx)
    if view is None:
        return
    for st in view.stated:
        if not st.spec.partition or st.figure.approximate:
            continue
        parts = view.parts_of(st)
        if len(parts) < 2 or any(p.approximate for p in parts):
            continue
        total = sum((p.value for p in parts), Decimal(0))
        if differs(total, st.figure.value, ctx.tol()):
            s = st.sentence
            ctx.emit("report.sum_mismatch", s.location(), expected=money(total), actual=money(st.figure.value),
                     diff=money(st.figure.value - total), where=s.where, clause=s.clause(st.figure),
                     subject=st.spec.label, parts=f"{len(parts)}项")


_SHARE_TAIL = re.compile(r"(?:的|比重|比例|为|达到|达|约)+$")


@check("report.share_mismatch")
def shares(ctx: Context) -> None:
    """Shares ('占基本支出的86.82%') and the execution rate, recomputed from the figures the
    sentence itself states; a share of something the sentence does not state uses the table."""
    view = report_view(ctx)
    if view is None:
        return
    conf = ctx.pack.rules.get("report.share_mismatch") or {}
    tols = {k: Decimal(str(v)) for k, v in (conf.get("tolerance") or {"share": 1, "structure_share": 2}).items()}
    for s in view.sentences:
        for k, fig in enumerate(s.figures):
            if fig.kind != "percent" or fig.approximate:
                continue
            if fig.subject.startswith("占"):
                _share(ctx, view, s, k, fig, tols)
    for st in view.stated:
        if st.spec.path == "overall.funds.execution_rate" and not st.figure.approximate:
            budget = view.stated_in(st.sentence, "overall.funds.full_year_budget")
            executed = view.stated_in(st.sentence, "overall.funds.executed")
            if budget and executed and budget.figure.value:
                expected = executed.figure.value / budget.figure.value * 100
                tol = max(ctx.tol("percent"), st.figure.tolerance)
                if abs(st.figure.value - expected) > tol:
                    funds = column_labels("funds", ctx.form)
                    basis = (f"本句所列{funds['executed']}{money(executed.figure.value)}万元"
                             f"÷{funds['full_year_budget']}{money(budget.figure.value)}万元")
                    _emit_share(ctx, st.sentence, st.figure, figure_label(st.spec.path, ctx.form), basis, expected, tol)


def _share(ctx: Context, view, s: Sentence, k: int, fig: Figure, tols: dict[str, Decimal]) -> None:
    den_phrase = _SHARE_TAIL.sub("", fig.subject[1:])
    den_key = name_key(den_phrase)
    segment_start = max(s.folded.text.rfind(c, 0, fig.start) for c in "；;")
    numerator = next((f for f in reversed(s.figures[:k]) if f.kind == "amount" and f.start > segment_start), None)
    if numerator is None or numerator.approximate:
        return
    if den_key in ("", "比"):
        # '占比13.18%': a share of the total whose parts (after 其中) include this figure.
        total = next((st for st in view.stated if st.sentence is s and numerator in view.parts_of(st)), None)
        if total is None:
            return
        den_phrase, den_key = total.spec.label, name_key(total.spec.label)
    den_fig = None
    for f in s.figures:
        if f is numerator or f.kind != "amount":
            continue
        subject = name_key(f.subject)
        pos = subject.rfind(den_key)
        if pos >= 0 and CONNECTOR.match(subject[pos + len(den_key):]):
            den_fig = f
            break
    num_name = re.sub(r"^\d+", "", name_key(numerator.subject)) or "该项"
    if den_fig is not None:
        den, tol = den_fig.value, tols["share"]
        basis = f"本句所列{num_name}{money(numerator.value)}万元÷{den_phrase}{money(den)}万元"
    else:
        spec = next((sp for sp in view.specs if sp.kind == "amount" and den_key in sp.names), None)
        den = cell(view.package, spec.path) if spec else None
        if den is None:
            return
        tol = tols["structure_share"]
        basis = f"{num_name}{money(numerator.value)}万元÷{describe(spec.path, ctx.form, view.year)}{money(den)}万元"
    if not den:
        return
    expected = numerator.value / den * 100
    if abs(fig.value - expected) > tol:
        _emit_share(ctx, s, fig, f"占{den_phrase}的比重", basis, expected, tol)


def _emit_share(ctx, s: Sentence, fig: Figure, what: str, basis: str, expected: Decimal, tol: Decimal) -> None:
    if abs(expected) > 10**6:
        return  # a 'share' of a million percent means the figures are not a part and its whole
    ctx.emit("report.share_mismatch", s.location(), expected=money(expected), actual=money(fig.value),
             diff=money(fig.value - expected), where=s.where, clause=s.clause(fig), what=what, basis=basis,
             tolerance=tol.normalize())


@check("report.none_but_funds")
def none_statements(ctx: Context) -> None:
    """'我单位2023年度无政府性基金预算' while the income split shows such funds."""
    report = ctx.package.report
    if report is None:
        return
    conf = ctx.pack.rules.get("report.none_but_funds") or {}
    labels = {r["field"]: r["label"] for r in ctx.form["evaluation"]["income_rows"]}
    view = report_view(ctx)
    for stmt in conf.get("statements", []):
        amount = cell(ctx.package, f"overall.income.{stmt['income']}")
        if not amount or amount <= 0:
            continue
        for s in view.sentences if view else []:
            if s.section.number != stmt["section"]:
                continue
            claim = next((w for w in stmt["words"] if name_key(w) in name_key(s.text)), None)
            if claim:
                ctx.emit("report.none_but_funds", s.location(), actual=claim, expected=money(amount),
                         where=s.where, claim=claim, fund=labels[stmt["income"]], amount=money(amount))


_GRADE_RE = re.compile(r"等级(?:为|是|评定为|:|：)?[“\"「]?(优秀|良好|中等|较差|优|良|中|差)")
_GRADE_WORDS = {"优秀": "优", "良好": "良", "中等": "中", "较差": "差"}


@check("report.grade_mismatch")
def stated_grade(ctx: Context) -> None:
    view = report_view(ctx)
    if view is None:
        return
    for s in view.sentences:
        m = _GRADE_RE.search(s.folded.text)
        if not m:
            continue
        said = _GRADE_WORDS.get(m.group(1), m.group(1))
        stated = view.stated_in(s, "overall.total_self_score")
        score = stated.figure.value if stated else cell(ctx.package, "overall.total_self_score")
        expected = grade(score, ctx.pack)
        if expected and said != expected:
            ctx.emit("report.grade_mismatch", s.location(), expected=expected, actual=said, where=s.where,
                     clause=s.folded.original(max(0, m.start() - 20), m.end()), score=score.normalize())
