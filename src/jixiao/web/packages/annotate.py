"""What the server computed, put next to the cells: sums from the core's sum tree, rates,
rule scores from the core's scorer, and every finding on the cell it names."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from jixiao.forms import cell_sum, load_form, rates, subtotals, task_sums
from jixiao.model import rounded
from jixiao.rules import Finding

from .cells import Sheet
from .checking import Evaluation, finding_key


@dataclass
class FindingView:
    finding: Finding
    key: str
    dom: str  # id of its entry in the findings list
    anchor: str | None  # the path of the cell (or row) it is shown on
    sheet: str | None  # which sheet shows it: basic | overall | project-N | report
    explanation: str = ""

    @property
    def severity(self) -> str:
        return self.finding.severity

    @property
    def message(self) -> str:
        return self.finding.message


def sheet_of(path: str | None) -> str | None:
    if not path:
        return None
    head, _, rest = path.partition(".")
    if head == "projects":
        idx = rest.split(".", 1)[0]
        return f"project-{idx}" if idx.isdigit() else None
    return head if head in ("basic", "overall", "report") else None


def finding_views(ev: Evaluation, explanations: dict[str, str]) -> list[FindingView]:
    views = []
    for i, f in enumerate(ev.findings()):
        key = finding_key(f)
        views.append(
            FindingView(
                finding=f, key=key, dom=f"{i}", anchor=f.location.path, sheet=sheet_of(f.location.path),
                explanation=explanations.get(key, ""),
            )
        )
    return views


def nearest_anchor(path: str, anchors: set[str]) -> str | None:
    while path:
        if path in anchors:
            return path
        path = path.rpartition(".")[0]
    return None


def _m(value: Decimal | None) -> str:
    if value is None:
        return ""
    return str(rounded(value, 2))


def annotate(sheet: Sheet, ev: Evaluation, views: list[FindingView], form_name: str) -> None:
    anchors = set(sheet.anchors())
    sheet.input_errors = {p: m for p, m in ev.input_errors.items() if p in anchors}
    for v in views:
        if v.sheet != sheet.key or not v.anchor:
            continue
        at = nearest_anchor(v.anchor, anchors)
        if at:
            sheet.marks.setdefault(at, []).append(v)
    if ev.package is None:
        return
    if sheet.key == "basic":
        _basic_hints(sheet, ev, form_name)
    elif sheet.key == "overall" or sheet.key.startswith("project-"):
        _evaluation_hints(sheet, ev, form_name)


def _basic_hints(sheet: Sheet, ev: Evaluation, form_name: str) -> None:
    if ev.package.basic is None:
        return
    form = load_form(form_name)
    for cell in subtotals(ev.package, form):
        if cell.value is not None:
            sheet.computed[cell.path] = f"合计 {_m(cell.value)}"
    _rate_hints(sheet, ev, form, "basic")


def _rate_hints(sheet: Sheet, ev: Evaluation, form: dict, prefix: str) -> None:
    for rate in rates(ev.package, form):
        if rate.prefix == prefix and rate.value is not None:
            sheet.computed[rate.path] = f"计算 {_m(rate.value)}%"


def _evaluation_hints(sheet: Sheet, ev: Evaluation, form_name: str) -> None:
    index = None if sheet.key == "overall" else int(sheet.key.split("-")[1])
    prefix = "overall" if index is None else f"projects.{index}"
    _rate_hints(sheet, ev, load_form(form_name), prefix)
    if index is None:  # 年度主要任务's 金额合计 (an 整体 target table), as the task rows add up
        for s in task_sums(ev.package, load_form(form_name)):
            if s.value is not None:
                sheet.computed[s.path] = f"合计 {_m(s.value)}"
    table = next((t for t in ev.result.scores if t.index == index), None)
    if table is None:
        return
    for item in table.items:
        if item.method == "execution":
            if item.computed is not None:
                sheet.computed[f"{prefix}.funds.self_score"] = f"按规则 {_m(item.computed)}"
            continue
        path = f"{item.path}.self_score"
        if item.method in ("positive", "reverse") and item.computed is not None:
            sheet.computed[path] = f"按规则 {_m(item.computed)}"
        elif item.method == "qualitative" and item.band_high is not None:
            sheet.computed[path] = f"按规则 {_m(item.band_low)}–{_m(item.band_high)}"
        elif item.method == "undetermined":
            sheet.computed[path] = "需人工判定"
    if table.weight_total is not None:
        sheet.computed[f"{prefix}.total_weight"] = f"合计 {_m(table.weight_total)}"
    if table.self_total is not None:
        sheet.computed[f"{prefix}.total_self_score"] = f"合计 {_m(table.self_total)}"
    if table.computed_total is not None:
        grade = f"（{table.computed_grade}）" if table.computed_grade else ""
        sheet.computed[f"{prefix}.total"] = f"按规则核定 {_m(table.computed_total)}{grade}"
    if index is None and ev.package.overall is not None:
        o = ev.package.overall
        spec = load_form(form_name)["evaluation"]
        # only forms whose 整体 table prints 按收入性质分 / 按支出性质分 have these rows
        income = cell_sum([getattr(o.income, r["field"]) for r in spec.get("income_rows") or []])
        spending = cell_sum([getattr(o.spending, r["field"]) for r in spec.get("spending_rows") or []])
        if income is not None:
            sheet.computed["overall.income"] = f"合计 {_m(income)}"
        if spending is not None:
            sheet.computed["overall.spending"] = f"合计 {_m(spending)}"
