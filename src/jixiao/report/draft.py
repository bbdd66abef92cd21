"""Drafting the 自评报告 from the tables: every numeric paragraph is generated from the
package's tables, the unit's own prose is kept where the package has it, and the result
passes reconciliation (the report.* rules) with no finding when the tables agree."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

import yaml

from ..forms import column_label, load_form, part_name, row_name
from ..model import Package, Report, ReportSection, money
from ..rules.engine import Context, Pack, load_pack
from ..scoring import grade, score_package
from .facts import cell, project_rows
from .view import ReportView, Sentence, Stated

DEFAULT_TEMPLATES = "draft-hunan-2023"


@cache
def load_templates(name: str = DEFAULT_TEMPLATES) -> dict[str, Any]:
    text = resources.files(__package__).joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@dataclass
class Draft:
    report: Report
    notes: list[str] = field(default_factory=list)  # what the drafter could not make agree


def _m(value: Decimal | None) -> str:
    return format(money(value), "f") if value is not None else ""


def _oneline(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "").rstrip("。；;")


class _Drafter:
    def __init__(self, package: Package, pack: Pack, form: dict[str, Any], templates: dict[str, Any]):
        self.pkg, self.pack, self.form, self.t = package, pack, form, templates
        self.year = package.fiscal_year
        self.notes: list[str] = []
        self.old = ReportView(Context(package=package, pack=pack, form=form)) if package.report else None

    def raw_prose(self, number: int) -> str | None:
        section = self.pkg.report.section(number) if self.pkg.report else None
        return (section.body if section else "").strip() or None

    def unit_prose(self, number: int) -> str | None:
        """The unit's own text of a section, with any figure that names a table cell
        ('编制42人', '全年执行数…万元') set to the table's value, each change noted."""
        body = self.raw_prose(number)
        if not body or self.old is None:
            return body or None
        fixes: dict[str, list[tuple[int, int, str]]] = {}
        for st in self.old.stated:
            if st.sentence.section.number != number or st.figure.approximate:
                continue
            table = cell(self.pkg, st.spec.path)
            extra = {"amount": "amount", "percent": "percent"}.get(st.spec.kind)
            if table is None or st.figure.agrees(table, self.pack.number("tolerance", extra) if extra else Decimal(0)):
                continue
            origin = st.sentence.folded.origin
            span = (origin[st.figure.start], origin[st.figure.end - 1] + 1)
            fixes.setdefault(st.sentence.text, []).append((*span, _like(st, table)))
        for sentence, changes in fixes.items():
            fixed = sentence
            for start, end, new in sorted(changes, reverse=True):  # from the end: offsets stay valid
                self.notes.append(f"已按表格更正第{number}部分单位原文中的数字：“{sentence[start:end]}”改为“{new}”。")
                fixed = fixed[:start] + new + fixed[end:]
            body = body.replace(sentence, fixed, 1)
        return body

    # ------------------------------------------------------------ §一

    def basic_info(self) -> str:
        kept = self.unit_prose(1)
        if kept:
            return kept
        t = self.t["basic_info"]
        lines = [t["duties_heading"], t["duties_missing"], t["organisation_heading"]]
        staffing = self.pkg.basic.staffing if self.pkg.basic else None
        if staffing and isinstance(staffing.establishment, int) and isinstance(staffing.actual, int):
            lines.append(t["staffing"].format(unit=self.pkg.unit_name, year=self.year,
                                              establishment=staffing.establishment, actual=staffing.actual))
        return "\n".join(lines)

    # ------------------------------------------------------------ §二

    def general_budget(self) -> str:
        t = self.t["general_budget"]
        lines = []
        executed = cell(self.pkg, "overall.funds.executed")
        sources = self._income_sources()
        if executed is not None and len(sources) > 1:
            lines.append(t["sources"].format(year=self.year, executed=_m(executed), sources="，".join(
                t["source"].format(label=label, amount=_m(v)) for label, v in sources)))
        lines.append(t["basic_heading"])
        lines.append(self._basic_paragraph(t))
        lines.append(t["project_heading"])
        lines.append(self._project_paragraph(t))
        return "\n".join(lines)

    def _income_sources(self) -> list[tuple[str, Decimal]]:
        rows = self.form["evaluation"]["income_rows"]
        return [(r["label"], v) for r in rows if (v := cell(self.pkg, f"overall.income.{r['field']}"))]

    def _basic_paragraph(self, t: dict[str, str]) -> str:
        basic = cell(self.pkg, "overall.spending.basic")
        public = cell(self.pkg, "basic.public_funds.final")
        if basic is None:
            return t["basic_missing"]
        if public is None or not basic or public > basic:
            return t["basic_only"].format(year=self.year, basic=_m(basic))
        personnel = basic - public
        uses = self._basic_uses()
        return t["basic"].format(
            year=self.year, basic=_m(basic), personnel=_m(personnel), public=_m(public),
            personnel_share=_m(personnel / basic * 100), public_share=_m(public / basic * 100),
            personnel_use=uses.get("personnel", ""), public_use=uses.get("public", ""),
        )

    def _basic_uses(self) -> dict[str, str]:
        """The unit's '主要包括：…' after 人员经费 and 日常公用经费, kept word for word."""
        out: dict[str, str] = {}
        st = self._old_stated("overall.spending.basic")
        if st is None:
            return out
        for part in self.old.parts_of(st):
            tail = _segment_after(st.sentence, part)
            m = re.search(r"主要包括.*", tail)
            if not m:
                continue
            key = "public" if "公用" in part.subject else "personnel" if "人员" in part.subject else None
            if key:
                out[key] = "，" + m.group(0).rstrip("；;。，,")
        return out

    def _project_paragraph(self, t: dict[str, str]) -> str:
        total = cell(self.pkg, "overall.spending.project")
        leaves = [r for r in project_rows(self.pkg, self.form) if r.is_leaf and r.final]
        if total is None:
            if not leaves:
                return t["project_missing"]
            total = sum((r.final for r in leaves), Decimal(0))
        if not leaves:
            if total == 0:
                return t["project_none"].format(year=self.year)
            basic, project = part_name("basic", self.form), row_name("spending", "project", self.form)
            self.notes.append(f"{basic}未列出{project}明细，无法列出{project}{_m(total)}万元的各项目。")
            return t["project"].format(year=self.year, project=_m(total), items="（请列出各项目金额和用途）")
        listed = sum((r.final for r in leaves), Decimal(0))
        if abs(listed - total) > self.pack.number("tolerance", "amount"):
            final = column_label("amount", "final", self.form, self.year)
            self.notes.append(f"{part_name('basic', self.form)}各项目{final}合计{_m(listed)}万元，与"
                              f"{part_name('overall', self.form)}{row_name('spending', 'project', self.form)}"
                              f"{_m(total)}万元不一致，报告按表格原样列出，请先更正表格。")
        uses = self._project_uses()
        items = [t["project_item"].format(n=n, name=r.name, amount=_m(r.final), use=uses.get(r.path, ""),
                                          sep="：" if r.name[-1:].isalnum() and r.name[-1:].isascii() else "")
                 for n, r in enumerate(leaves, 1)]
        return t["project"].format(year=self.year, project=_m(total), items="；".join(items))

    def _project_uses(self) -> dict[str, str]:
        """Row path -> the unit's own words on what the money was for ('，主要用于…')."""
        out: dict[str, str] = {}
        if self.old is None:
            return out
        for plist in self.old.project_lists():
            for item in plist.items:
                if item.row is None:
                    continue
                tail = _segment_after(plist.stated.sentence, item.figure).strip("，,；;。 ")
                if tail:
                    out[item.row.path] = "，" + tail
        return out

    def _old_stated(self, path: str) -> Stated | None:
        if self.old is None:
            return None
        return next((st for st in self.old.stated if st.spec.path == path and st.sentence.section.number == 2), None)

    # ------------------------------------------------------------ §三 to §五

    def government_fund(self) -> str:
        amount = cell(self.pkg, "overall.income.government_fund")
        t = self.t["government_fund"]
        if amount:
            return t["amount"].format(year=self.year, amount=_m(amount))
        return t["none"].format(year=self.year)

    def none_or_prose(self, number: int, key: str) -> str:
        return self.unit_prose(number) or self.t[key]["none"].format(year=self.year)

    # ------------------------------------------------------------ §六

    def performance(self) -> str:
        t = self.t["performance"]
        lines = []
        overall = self.pkg.overall
        if overall is not None:
            values = [cell(self.pkg, f"overall.funds.{k}") for k in ("initial_budget", "full_year_budget", "executed")]
            if all(v is not None for v in values):
                rate = cell(self.pkg, "overall.funds.execution_rate")
                if rate is None and values[1]:
                    rate = values[2] / values[1] * 100
                if rate is not None:
                    lines.append(t["funds"].format(year=self.year, initial=_m(values[0]), full_year=_m(values[1]),
                                                   executed=_m(values[2]), rate=_m(rate)))
            indicators = [ind for l1 in overall.indicators for ind in l1.all_indicators() if _oneline(ind.name)]
            if indicators:
                lines.append(t["indicators_heading"])
                blank = t["blank_value"]
                lines += [t["indicator"].format(n=n, name=_oneline(ind.name), target=_oneline(ind.target.raw) or blank,
                                                actual=_oneline(ind.actual.raw) or blank)
                          for n, ind in enumerate(indicators, 1)]
            score = cell(self.pkg, "overall.total_self_score")
            if score is None:
                score = next((s.self_total for s in score_package(self.pkg, self.pack) if s.index is None), None)
            level = grade(score, self.pack)
            if score is not None and level:
                lines.append(t["result"].format(year=self.year, score=format(score.normalize(), "f"), grade=level))
        kept = self._prose_without_table_figures(6)
        if kept:
            lines.append(kept)
        return "\n".join(lines)

    def _prose_without_table_figures(self, number: int) -> str | None:
        """The unit's prose of a section, less the sentences that state a table figure
        (年初预算数, 执行率, 自评得分 …): the generated paragraphs above restate those."""
        kept = self.raw_prose(number)
        if not kept or self.old is None:
            return kept
        stating = {st.sentence.text for st in self.old.stated if st.sentence.section.number == number}
        lines = []
        for line in kept.splitlines():
            pieces = [p for p in sentences_keep_end(line) if p.strip() not in stating]
            if "".join(pieces).strip():
                lines.append("".join(pieces).strip())
        return "\n".join(lines) or None


def _like(st: Stated, value: Decimal) -> str:
    """A table value written the way the report writes that kind of figure."""
    if st.spec.kind == "amount":
        return f"{_m(value)}万元"
    if st.spec.kind == "percent":
        return f"{_m(value)}%"
    return f"{format(value.normalize(), 'f')}{st.figure.unit}"


def sentences_keep_end(line: str) -> list[str]:
    """A line cut after each sentence end, every character kept."""
    return [p for p in re.split(r"(?<=[。！？!?])", line) if p]


def _segment_after(sentence: Sentence, fig) -> str:
    """The original text after a figure up to the next item: the next '；' or numbered marker."""
    text = sentence.folded.text
    end = len(text)
    for m in re.finditer(r"[；;。]|(?<=[，,])\d{1,2}[、.．](?!\d)", text[fig.end:]):
        end = fig.end + m.start()
        break
    return sentence.folded.original(fig.end, end)


def draft_report(package: Package, pack: Pack | None = None, templates: dict[str, Any] | None = None) -> Draft:
    pack = pack or load_pack()
    form = load_form(pack.get("form", default="hunan-2023"))
    t = templates or load_templates()
    d = _Drafter(package, pack, form, t)
    bodies = {
        1: d.basic_info, 2: d.general_budget, 3: d.government_fund,
        4: lambda: d.none_or_prose(4, "state_capital"), 5: lambda: d.none_or_prose(5, "social_insurance"),
        6: d.performance,
    }
    sections = []
    for spec in form["report"]["sections"]:
        n = spec["number"]
        body = bodies[n]() if n in bodies else (d.unit_prose(n) or t["placeholders"][n])
        heading = t["section_heading"].format(numeral=t["numerals"][n - 1], title=spec["title"])
        sections.append(ReportSection(number=n, heading=heading, body=body))
    title = form["captions"]["titles"]["report"].format(year=package.fiscal_year, unit=package.unit_name)
    return Draft(Report(title=title, sections=sections), d.notes)


def with_report(package: Package, report: Report) -> Package:
    return package.model_copy(update={"report": report})
