"""The report as the reconciliation checks see it: sentences, their figures, which table cell
each figure names, the parts listed after 其中, and the project list of §二."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..forms import part_name
from ..model import Package, ReportSection
from ..rules.engine import Context
from ..rules.findings import Location
from ..text import squeeze
from .facts import CONNECTOR, FigureSpec, ProjectRow, cell, figure_specs, item_name, match_spec, project_rows
from .figures import Figure, figures_of
from .text import Folded, clause_at, dice, fold_text, name_key, sentences

_MARKER = re.compile(r"(?:^|(?<=[，,；;：:。(（]))\d{1,2}[、.．](?!\d)")


@dataclass
class Sentence:
    index: int  # position of the section in report.sections
    section: ReportSection
    text: str  # as written
    folded: Folded
    figures: list[Figure]
    part: str  # the report's part name, as the form gives it

    @property
    def heading(self) -> str:
        return squeeze(self.section.heading)

    @property
    def where(self) -> str:
        return f"{self.part}“{self.heading}”"

    def location(self) -> Location:
        return Location(part=self.part, row=self.heading, quote=self.text, path=f"report.sections.{self.index}.body")

    def clause(self, fig: Figure) -> str:
        return clause_at(self.folded, fig.start, fig.end)


@dataclass
class Stated:
    """A figure of the report tied to the table cell its subject names."""

    sentence: Sentence
    figure: Figure
    spec: FigureSpec


@dataclass
class ListItem:
    figure: Figure
    name: str
    row: ProjectRow | None


@dataclass
class ProjectList:
    """The project list after '项目支出总数为…万元，其中：1、…'."""

    stated: Stated
    items: list[ListItem]
    omitted: list[ProjectRow] = field(default_factory=list)


class ReportView:
    def __init__(self, ctx: Context):
        pkg: Package = ctx.package
        self.ctx = ctx
        self.package = pkg
        self.year = pkg.fiscal_year
        self.specs = figure_specs(ctx.form)
        self.rows = project_rows(pkg, ctx.form)
        self.row_keys = [name_key(r.name) for r in self.rows]  # as match_row compares them
        self.sentences = report_sentences(ctx)
        # A subject that first names a project, a special fund or an indicator is about that,
        # not about the unit's totals ('项目预算执行率', '产出指标自评得分').
        blockers = [name_key(b) for b in [r.name for r in self.rows] + [p.project_name or "" for p in pkg.projects]
                    + ["项目", "专项", "指标"]]
        self.stated: list[Stated] = []
        for s in self.sentences:
            for fig in s.figures:
                spec = match_spec(fig, self.specs, blockers, self.year, s.section.number)
                if spec is not None:
                    self.stated.append(Stated(s, fig, spec))
        self._lists: list[ProjectList] | None = None

    # ---------------------------------------------------------------- scopes

    def scope(self, sentence: Sentence) -> dict[str, Any] | None:
        conf = self.ctx.pack.rules.get("report.scope_difference") or {}
        return next((s for s in conf.get("scopes", []) if s["section"] == sentence.section.number), None)

    def excluded(self, scope: dict[str, Any]) -> list[tuple[str, Decimal]]:
        """(label, amount) of the income sources a scoped section leaves out, when filled and not 0."""
        labels = {r["field"]: r["label"] for r in self.ctx.form["evaluation"]["income_rows"]}
        out = []
        for fld in scope.get("excluded", []):
            value = cell(self.package, f"overall.income.{fld}")
            if value:
                out.append((labels[fld], value))
        return out

    def stated_in(self, sentence: Sentence, path: str) -> Stated | None:
        return next((st for st in self.stated if st.sentence is sentence and st.spec.path == path), None)

    def stated_in_section(self, section_index: int, path: str) -> Stated | None:
        return next((st for st in self.stated if st.sentence.index == section_index and st.spec.path == path), None)

    # ---------------------------------------------------------------- parts after 其中

    def parts_of(self, st: Stated) -> list[Figure]:
        """The amounts listed after '其中' that follows a figure: the first amount of each
        numbered item, else of each ；-segment, else of each ，/、-segment."""
        s, fig = st.sentence, st.figure
        text = s.folded.text
        following = [f for f in s.figures if f.start >= fig.end]
        stop = following[0].start if following else len(text)
        pos = text.find("其中", fig.end, stop)
        if pos == -1:
            return []
        region = text[pos:]
        candidates = [f for f in following if f.kind == "amount"]
        cuts = [pos + m.start() for m in _MARKER.finditer(region)]
        if len(cuts) < 2:
            cuts = [pos + m.end() for m in re.finditer(r"[；;]", region)]
            cuts = [pos, *cuts] if len(cuts) >= 1 else []
        if len(cuts) < 2:
            cuts = [pos, *(pos + m.end() for m in re.finditer(r"[，,、]", region))]
        bounds = [*cuts, len(text)]
        parts = []
        for a, b in zip(bounds, bounds[1:], strict=False):
            first = next((f for f in candidates if a <= f.start < b), None)
            # by identity: the figures of one sentence are distinct objects (a dataclass's == would
            # compare every field of every figure listed so far)
            if first is not None and all(p is not first for p in parts):
                parts.append(first)
        return parts

    # ---------------------------------------------------------------- the project list

    def project_lists(self) -> list[ProjectList]:
        if self._lists is None:
            self._lists = [self._project_list(st) for st in self.stated if st.spec.list]
            self._lists = [pl for pl in self._lists if pl is not None]
        return self._lists

    def _project_list(self, st: Stated) -> ProjectList | None:
        parts = self.parts_of(st)
        if len(parts) < 2:
            return None
        items = [ListItem(f, item_name(f.subject), self.match_row(f.subject)) for f in parts]
        if not any(i.row for i in items):
            return None
        matched = {i.row.path for i in items if i.row}
        unmatched = [i for i in items if i.row is None]
        omitted = []
        body = None  # the section as compared, made only for a row the list leaves out (a whole section costs 50 µs)
        for row in self.rows:
            if not row.is_leaf or not row.final or row.path in matched or row.parent in matched:
                continue
            if body is None:
                body = name_key(st.sentence.section.body)
            if name_key(row.name) in body:
                continue
            # Named differently in the report: same amount, or a loosely similar name.
            if any(abs(i.figure.value - row.final) <= self.ctx.tol() or dice(i.name, row.name) >= 0.4 for i in unmatched):
                continue
            omitted.append(row)
        return ProjectList(st, items, omitted)

    def match_row(self, subject: str) -> ProjectRow | None:
        """The project row a list item names: its name followed only by '支出', '为' …;
        else a close name (same characters, slightly different wording)."""
        key = name_key(subject)
        exact = []
        for row, name in zip(self.rows, self.row_keys, strict=True):
            pos = key.rfind(name) if name else -1
            if pos >= 0 and CONNECTOR.match(key[pos + len(name) :]):
                exact.append((len(name), row))
        if exact:
            return max(exact, key=lambda h: h[0])[1]
        name = item_name(subject)
        scored = [(dice(name, row.name), row) for row in self.rows]
        best = max(scored, key=lambda h: h[0], default=(0.0, None))
        return best[1] if best[0] >= 0.75 else None


def report_sentences(ctx: Context) -> list[Sentence]:
    """The 自评报告's sentences with their figures, once per check run. They read the report
    alone, so a check that needs only these (not the view's project rows from 基础数据表) is
    rerun by incremental checking only when the report or its own tables change."""
    if "report_sentences" not in ctx.cache:
        pkg = ctx.package
        part = part_name("report", ctx.form)
        out: list[Sentence] = []
        for index, section in enumerate(pkg.report.sections if pkg.report else []):
            for text in sentences(section.body):
                folded = fold_text(text)
                out.append(Sentence(index, section, text, folded, figures_of(folded), part))
        ctx.cache["report_sentences"] = out
    return ctx.cache["report_sentences"]


def report_view(ctx: Context) -> ReportView | None:
    if ctx.package.report is None or not ctx.package.report.sections:
        return None
    if "report_view" not in ctx.cache:
        ctx.cache["report_view"] = ReportView(ctx)
    return ctx.cache["report_view"]
