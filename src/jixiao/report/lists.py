"""The project list of the report ('其中：1、业务工作经费40.00万元…；2、…') against the
basic data table's project rows: amounts that differ, and spending the list never mentions."""

from __future__ import annotations

from decimal import Decimal

from ..forms import column_label
from ..model import money
from ..rules.engine import Context, check
from .view import report_view


@check("report.item_mismatch", "report.item_scope", "report.item_omitted")
def project_list(ctx: Context) -> None:
    view = report_view(ctx)
    if view is None:
        return
    year, tol = view.year, ctx.tol()
    for plist in view.project_lists():
        s = plist.stated.sentence
        scope = view.scope(s)
        ex_total = sum((v for _, v in view.excluded(scope)), Decimal(0)) if scope else Decimal(0)
        for item in plist.items:
            row, fig = item.row, item.figure
            if row is None or row.final is None or fig.approximate or fig.agrees(row.final, tol):
                continue
            short = row.final - fig.value
            common = dict(expected=money(row.final), actual=money(fig.value), diff=money(short), where=s.where,
                          clause=s.clause(fig), item=item.name, row=row.name, year=year, hint=_hint(fig.value, row, year, ctx.form))
            if scope and Decimal(0) < short <= ex_total:
                ctx.emit("report.item_scope", s.location(), scope=scope["name"], **common)
            else:
                ctx.emit("report.item_mismatch", s.location(), **common)
        for row in plist.omitted:
            note = ""
            if scope and row.final <= ex_total:
                note = f"（本部分只反映{scope['name']}，如该项目资金不属于{scope['name']}，请在报告中注明）"
            ctx.emit("report.item_omitted", s.location(),
                     expected=money(row.final), where=s.where, row=row.name, year=year, amount=money(row.final),
                     note=note)


def _hint(value: Decimal, row, year: int, form) -> str:
    """Say so when the report's figure is another column of the same row."""
    tol = Decimal("0.005")
    if row.budget is not None and abs(row.budget - value) <= tol:
        return f"，报告数与该行{column_label('amount', 'budget', form, year)}{money(row.budget)}万元相同，可能误用了预算数"
    if row.prev_final is not None and abs(row.prev_final - value) <= tol:
        return f"，报告数与该行{column_label('amount', 'prev_final', form, year)}{money(row.prev_final)}万元相同，可能误用了上年数"
    return ""
