"""Completeness: names, signatures, dates, required tables and sections, placeholders."""

from __future__ import annotations

import re
from functools import lru_cache

from ...forms import caption_name, part_name, plain_label, signature_labels
from ...model import fold, value_of
from ..engine import Context, check
from ..findings import Location
from .cross import first_level_projects, project_table_names
from .evaluation import at, indicator_rows, tables


def _blank(text: str | None) -> bool:
    return text is None or text.strip() in ("", "/")


# The pack's ``required_parts`` before the key existed: every part of the default package.
_EVERY_PART = ["basic", "overall", "report"]


@check("complete.part_missing")
def parts_present(ctx: Context) -> None:
    """Each part the pack requires (an entry that lists several parts wants any one of them)."""
    pkg = ctx.package
    held = {"basic": pkg.basic is not None, "overall": pkg.overall is not None, "project": bool(pkg.projects),
            "report": pkg.report is not None}
    for entry in ctx.pack.get("required_parts", default=_EVERY_PART):
        choices = [entry] if isinstance(entry, str) else list(entry)
        if any(held.get(key) for key in choices):
            continue
        names = [part_name(key, ctx.form) for key in choices]
        path = "projects" if choices[0] == "project" else choices[0]
        ctx.emit("complete.part_missing", Location(part=names[0], path=path), name="或".join(names))


# The cells that name the unit when the pack does not say (the 基础数据表 and the 整体 table).
_UNIT_NAME_CELLS = ["basic.unit_name", "overall.unit_name"]
# A budget code written before a unit's name: '305002-某某县某某中心'.
_BUDGET_CODE = re.compile(r"^[0-9A-Za-z]+\s*[-－—_]\s*")


def _unit_names(ctx: Context):
    """(part, table, index, written name, caption group, field, path) of each cell naming the unit."""
    pkg = ctx.package
    for cell in ctx.pack.get("unit_name_cells", default=_UNIT_NAME_CELLS):
        key, field = cell.split(".")
        if key == "projects":
            for table, prefix, index, base in tables(ctx):
                if index is not None and not _placeholder_project(table):
                    yield base.part, base.table, index, getattr(table, field), "evaluation", field, f"{prefix}.{field}"
            continue
        table = getattr(pkg, key)
        if table is not None:
            group = "basic" if key == "basic" else "evaluation"
            yield part_name(key, ctx.form), None, None, getattr(table, field), group, field, cell


@check("complete.unit_name", "identity.unit_name", "identity.year")
def identity(ctx: Context) -> None:
    pkg = ctx.package
    want = re.sub(r"\s+", "", pkg.unit_name)
    for part, table, index, name, group, field, path in _unit_names(ctx):
        loc = Location(part=part, index=index, table=table, row=caption_name(group, field, ctx.form), path=path)
        if _blank(name):
            ctx.emit("complete.unit_name", loc, unit=pkg.unit_name)
        elif _BUDGET_CODE.sub("", re.sub(r"\s+", "", name)) != want:
            ctx.emit("identity.unit_name", loc, expected=pkg.unit_name, actual=name)
    if pkg.report is not None and pkg.report.title:
        title = re.sub(r"\s+", "", pkg.report.title)
        if want not in title:
            ctx.emit("identity.unit_name", Location(part=part_name("report", ctx.form), row="标题", path="report.title"),
                     expected=pkg.unit_name, actual=pkg.report.title)
    titles = [(part_name(key, ctx.form), getattr(pkg, key).title, f"{key}.title")
              for key in ("basic", "overall", "report") if getattr(pkg, key) is not None]
    titles += [(part_name("project", ctx.form), p.title, f"projects.{i}.title") for i, p in enumerate(pkg.projects)]
    for part, title, path in titles:
        m = re.search(r"(20\d\d)\s*年", fold(title or ""))
        if m and int(m.group(1)) != pkg.fiscal_year:
            ctx.emit("identity.year", Location(part=part, row="标题", path=path), expected=pkg.fiscal_year, actual=m.group(1))


@check("complete.signature")
def signatures(ctx: Context) -> None:
    pkg = ctx.package
    signed = []
    if pkg.basic is not None:
        signed.append((part_name("basic", ctx.form), None, None, pkg.basic.signature, "basic.signature"))
    for table, prefix, index, base in tables(ctx):
        if index is not None and _placeholder_project(table):
            continue
        signed.append((base.part, index, base.table, table.signature, f"{prefix}.signature"))
    labels = signature_labels(ctx.form)
    required = ctx.pack.get("signature_required", default=list(labels))
    for part, index, table_label, sig, path in signed:
        missing = [labels[f] for f in required if _blank(getattr(sig, f))]
        if missing:
            ctx.emit("complete.signature", Location(part=part, index=index, table=table_label, row="签字栏", path=path),
                     missing="、".join(missing))


def _placeholder_project(project) -> bool:
    """A project table left as the template: no name (or '/') and no amounts."""
    if not _blank(project.project_name):
        return False
    return not any(value_of(getattr(project.funds, f)) for f in ("initial_budget", "full_year_budget", "executed"))


@check("complete.project_table_missing", "complete.project_placeholder")
def project_tables(ctx: Context) -> None:
    names = set(project_table_names(ctx))
    for i, project in enumerate(ctx.package.projects):
        if _placeholder_project(project):
            ctx.emit("complete.project_placeholder",
                     Location(part=part_name("project", ctx.form), index=i,
                              table=f"{part_name('project', ctx.form)}（第{i + 1}张）",
                              row=caption_name("evaluation", "project_name", ctx.form), path=f"projects.{i}.project_name"))
    year = ctx.package.fiscal_year
    for label, aliases, final in first_level_projects(ctx):
        if not names & set(aliases):
            ctx.emit("complete.project_table_missing",
                     Location(part=part_name("project", ctx.form), row=label, path="projects"),
                     project=label, actual=final, year=year)


@check("complete.goals")
def goals(ctx: Context) -> None:
    for table, prefix, index, base in tables(ctx):
        if index is not None and _placeholder_project(table):
            continue
        goals_row = caption_name("evaluation", "goals", ctx.form)
        for field in ("expected", "actual"):
            label = caption_name("evaluation", f"goals_{field}", ctx.form)
            if _blank(getattr(table.goals, field)):
                ctx.emit("complete.goals", at(base, goals_row, label, f"{prefix}.goals.{field}"), column_label=label)


@check("complete.frugality", "complete.date")
def basic_text(ctx: Context) -> None:
    basic = ctx.package.basic
    if basic is None:
        return
    if _blank(basic.frugality_measures):
        ctx.emit("complete.frugality", Location(part=part_name("basic", ctx.form),
                                                row=caption_name("basic", "frugality", ctx.form), path="basic.frugality_measures"))
    for part, sig, path in [(part_name("basic", ctx.form), basic.signature, "basic.signature.date")]:
        if sig.date and not re.search(r"\d{4}\s*[-年./]\s*\d{1,2}\s*[-月./]\s*\d{1,2}", fold(sig.date)):
            ctx.emit("complete.date", Location(part=part, row=signature_labels(ctx.form)["date"], path=path), actual=sig.date)


@check("complete.report_section", "complete.report_numbering")
def report_sections(ctx: Context) -> None:
    report = ctx.package.report
    if report is None:
        return
    for spec in ctx.form["report"]["sections"]:
        section = report.section(spec["number"])
        loc = Location(part=part_name("report", ctx.form), row=f"第{spec['number']}部分 {spec['title']}", path=f"report.sections.{spec['number'] - 1}")
        if section is None or not section.body.strip():
            ctx.emit("complete.report_section", loc, title=spec["title"], number=spec["number"])
    numerals = "一二三四五六七八九十"
    odd = [s.heading.strip() for s in report.sections
           if not re.match(rf"^{numerals[s.number - 1]}\s*[、.．]", s.heading.strip())]
    if odd:
        ctx.emit("complete.report_numbering", Location(part=part_name("report", ctx.form), row="章节标题", path="report.sections"),
                 headings="；".join(f"“{h}”" for h in odd))


@check("complete.placeholder_text")
def placeholder_text(ctx: Context) -> None:
    pattern = _any_of(tuple(ctx.pack.get("placeholder_words", default=[])))
    if pattern is None:
        return
    for path, label, text in _texts(ctx):
        m = pattern.search(text or "")
        if m:
            part = part_name(path.split(".")[0], ctx.form)
            ctx.emit("complete.placeholder_text", Location(part=part, row=label, path=path), word=m.group(0))


@lru_cache(maxsize=32)
def _any_of(words: tuple[str, ...]) -> re.Pattern | None:
    """One pattern for a pack's words (built once per pack, not once per package)."""
    return re.compile("|".join(re.escape(w) for w in words)) if words else None


def _texts(ctx: Context):
    pkg = ctx.package
    if pkg.basic is not None:
        yield "basic.frugality_measures", caption_name("basic", "frugality", ctx.form), pkg.basic.frugality_measures
        for i, item in enumerate(pkg.basic.district_special_items):
            yield f"basic.district_special_items.{i}.name", item.name, item.name
    goals = caption_name("evaluation", "goals", ctx.form)
    expected, actual = (caption_name("evaluation", f"goals_{f}", ctx.form) for f in ("expected", "actual"))
    for table, prefix, _, _ in tables(ctx):
        yield f"{prefix}.goals.expected", f"{goals}·{expected}", table.goals.expected
        yield f"{prefix}.goals.actual", f"{goals}·{actual}", table.goals.actual
        for p, _, _, ind in indicator_rows(ctx, table, prefix):
            label = plain_label(ind.name or "")
            yield f"{p}.target", label, ind.target.raw
            yield f"{p}.actual", label, ind.actual.raw
            yield f"{p}.deviation_reason", label, ind.deviation_reason
    if pkg.report is not None:
        for s in pkg.report.sections:
            yield f"report.sections.{s.number - 1}.body", s.heading.strip(), s.body
