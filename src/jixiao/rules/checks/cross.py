"""Checks across tables: the basic data table against the self-evaluation tables,
and the overall table against the project tables."""

from __future__ import annotations

from ...forms import basic_rows, caption_name, column_label, part_name, plain_label, row_name
from ...forms.derived import effective
from ...model import value_of
from ..engine import Context, check
from ..findings import Location
from . import differs


@check("cross.project_spending", "cross.public_exceeds_basic")
def basic_vs_overall(ctx: Context) -> None:
    basic, overall = ctx.package.basic, ctx.package.overall
    if basic is None or overall is None:
        return
    rows = {r["field"]: r for r in basic_rows(ctx.form)}
    year = ctx.package.fiscal_year
    project_final = effective(basic, rows, "project_spending", "final")
    project_overall = value_of(overall.spending.project)
    if project_final is not None and project_overall is not None and differs(project_final, project_overall, ctx.tol()):
        ctx.emit(
            "cross.project_spending",
            Location(part=part_name("overall", ctx.form), row=caption_name("evaluation", "spending", ctx.form),
                     column=row_name("spending", "project", ctx.form), path="overall.spending.project"),
            expected=project_final, actual=project_overall, diff=project_overall - project_final, year=year,
        )
    public_final = value_of(basic.public_funds.final)
    basic_overall = value_of(overall.spending.basic)
    if public_final is not None and basic_overall is not None and public_final - basic_overall > ctx.tol():
        ctx.emit(
            "cross.public_exceeds_basic",
            Location(part=part_name("basic", ctx.form), row=row_name("amount", "public_funds", ctx.form),
                     column=column_label("amount", "final", ctx.form, year), path="basic.public_funds.final"),
            expected=basic_overall, actual=public_final, diff=public_final - basic_overall,
        )


def first_level_projects(ctx: Context) -> list[tuple[str, list[str], object]]:
    """(row label, names that a project table may carry, final amount) for each first-level
    project row of the basic data table that has spending this year."""
    basic = ctx.package.basic
    if basic is None:
        return []
    rows = {r["field"]: r for r in basic_rows(ctx.form)}
    out = []
    for field in ctx.pack.get("first_level_projects", default=[]):
        spec = rows[field]
        final = effective(basic, rows, field, "final")
        if final is None or final == 0:
            continue
        names = [plain_label(spec["label"]), *(plain_label(a) for a in spec.get("aliases", []))]
        if "items" in spec:
            names += [plain_label(item.name) for item in getattr(basic, spec["items"]) if value_of(item.final)]
        out.append((plain_label(spec["label"]), names, final))
    return out


def project_table_names(ctx: Context) -> list[str]:
    return [plain_label(p.project_name or "") for p in ctx.package.projects]


@check("cross.project_table_amount")
def project_tables_vs_basic(ctx: Context) -> None:
    """A project table named after a first-level row should execute what the basic table spent."""
    basic = ctx.package.basic
    if basic is None:
        return
    rows = {r["field"]: r for r in basic_rows(ctx.form)}
    year = ctx.package.fiscal_year
    by_name = {}
    for field in ctx.pack.get("first_level_projects", default=[]):
        spec = rows[field]
        by_name[plain_label(spec["label"])] = effective(basic, rows, field, "final")
        for item in getattr(basic, spec["items"]) if "items" in spec else []:
            by_name[plain_label(item.name)] = value_of(item.final)
    for i, project in enumerate(ctx.package.projects):
        name = plain_label(project.project_name or "")
        final = by_name.get(name)
        executed = value_of(project.funds.executed)
        if final is None or executed is None or not differs(final, executed, ctx.tol()):
            continue
        ctx.emit(
            "cross.project_table_amount",
            Location(part=part_name("project", ctx.form), index=i,
                     table=f"{part_name('project', ctx.form)}（{project.project_name}）",
                     row=row_name("funds", "funds", ctx.form), column=column_label("funds", "executed", ctx.form),
                     path=f"projects.{i}.funds.executed"),
            expected=final, actual=executed, diff=executed - final, year=year, project=project.project_name,
        )
