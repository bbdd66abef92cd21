"""What the tables say that the report may repeat: the figures named in the form definition
(report.figures) and the project rows of the basic data table, with how a user names them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..forms import basic_rows, caption_name, column_labels, part_name, plain_label
from ..forms.derived import effective
from ..forms.memo import per_form
from ..model import Package, value_of
from ..text import squeeze
from .figures import Figure
from .text import name_key

# What may stand between a subject and its figure: '基本支出数为', '项目支出总数为', '业务工作经费支出'.
CONNECTOR = re.compile(
    r"^的?(?:支出|经费|资金|拨款)?(?:总数|总额|金额|数额|数|合计|总计|共计|累计|共|计)?(?:为|是|达到|达|约|了)?$"
)
# A figure about another year, or about a change, is not the value of a table cell.
_NOT_A_VALUE = re.compile(r"上年|去年|同比|较|比|增加|减少|增长|下降|节约|结余|超支|增幅|降幅|预计|计划")
_YEAR = re.compile(r"(20\d\d)年")
_NUMBERING = re.compile(r"^(?:其中[:：]?)?(?:\d{1,2}[、.．]|[(（][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}[、是])")


@dataclass(frozen=True)
class FigureSpec:
    """A cell the report may name (an entry of the form's report.figures)."""

    path: str
    label: str
    names: tuple[str, ...]  # label and aliases, as compared (name_key)
    kind: str = "amount"
    units: tuple[str, ...] = ()
    partition: bool = False
    list: bool = False
    sections: tuple[int, ...] = ()  # report sections where the subject means this cell; () = all


class FigureSpecs(list):
    """The form's report.figures, with one pattern of all their names: most figures of a report
    name none of them, and one search says so before each spec is tried."""

    def __init__(self, specs: list[FigureSpec]):
        super().__init__(specs)
        names = sorted({n for spec in specs for n in spec.names}, key=len, reverse=True)
        self.any_name = re.compile("|".join(map(re.escape, names))) if names and all(names) else None
        # The specs a figure of each kind may name, in form order (count specs still check the unit).
        self.by_kind = {kind: [s for s in specs if s.kind == kind or (s.kind not in ("amount", "percent")
                                                                      and kind == "count")]
                        for kind in ("amount", "percent", "count")}
        # For each spec, the names of every other spec: words before a name that name another cell.
        self.other_names = {id(spec): [n for o in specs if o is not spec for n in o.names] for spec in specs}


def figure_specs(form: dict[str, Any]) -> FigureSpecs:
    """The cells a report may name (read-only: built once per form)."""
    return per_form(form, "report.figure_specs", _figure_specs)


def _figure_specs(form: dict[str, Any]) -> FigureSpecs:
    out = []
    for entry in form["report"].get("figures", []):
        names = tuple(name_key(n) for n in [entry["label"], *entry.get("aliases", [])])
        out.append(FigureSpec(
            path=entry["path"], label=entry["label"], names=names, kind=entry.get("kind", "amount"),
            units=tuple(entry.get("units", [])), partition=bool(entry.get("partition")), list=bool(entry.get("list")),
            sections=tuple(entry.get("sections", [])),
        ))
    return FigureSpecs(out)


def cell(package: Package, path: str) -> Decimal | None:
    """The number at a model path, or None when the cell is blank, '/', or its table is missing."""
    node: Any = package
    for key in path.split("."):
        node = node[int(key)] if key.isdigit() else getattr(node, key, None)
        if node is None:
            return None
    if isinstance(node, int) and not isinstance(node, bool):
        return Decimal(node)
    return value_of(node)


def describe(path: str, form: dict[str, Any], year: int) -> str:
    """How a user names a cell: '整体支出绩效自评表“按支出性质分”的“基本支出”'."""
    part, *rest = path.split(".")
    if part == "basic":
        if rest[0] == "staffing":
            label = {c["field"]: c["label"] for c in form["basic"]["staffing_columns"]}[rest[1]]
            return f"{part_name('basic', form)}“{label.format(year=year)}”"
        row = next(r for r in basic_rows(form) if r["field"] == rest[0])
        column = {c["field"]: c["label"] for c in form["basic"]["amount_columns"]}[rest[1]]
        return f"{part_name('basic', form)}“{plain_label(row['label'])}”行“{column.format(year=year, prev_year=year - 1)}”"
    ev = form["evaluation"]
    if rest[0] == "funds":
        column = {c["field"]: c["label"] for c in ev["funds_columns"]}[rest[1]]
        return f"{part_name('overall', form)}“{ev['funds_total']['label']}”行“{column}”"
    if rest[0] in ("income", "spending"):
        rows = ev["income_rows"] if rest[0] == "income" else ev["spending_rows"]
        label = next(r["label"] for r in rows if r["field"] == rest[1])
        group = caption_name("evaluation", rest[0], form)
        return f"{part_name('overall', form)}“{group}”中的“{label}”"
    if rest[0] == "total_self_score":
        total, score = caption_name("evaluation", "total", form), column_labels("indicator", form)["self_score"]
        return f"{part_name('overall', form)}“{total}”行“{score}”"
    return path


def match_spec(fig: Figure, specs: list[FigureSpec], blockers: list[str], fiscal_year: int,
               section: int | None = None) -> FigureSpec | None:
    """The cell a figure's subject names, when it names exactly one and names its value.

    Precision first: a subject naming two cells ('基本支出和项目支出合计'), a project row or
    an indicator before the cell ('业务工作经费执行数'), another year or a change
    ('较上年减少') is left alone rather than guessed. ``blockers``: names (as compared,
    ``name_key``) of the projects and words that make a subject about something else.
    """
    subject = fig.subject
    key = name_key(subject)
    any_name = getattr(specs, "any_name", None)
    if any_name is not None and not any_name.search(key):
        return None  # names no cell at all (most figures: asked first)
    if subject.startswith("占") or _NOT_A_VALUE.search(subject):
        return None
    if any(int(y) != fiscal_year for y in _YEAR.findall(subject)):
        return None
    hits = []
    by_kind = getattr(specs, "by_kind", None)
    for spec in specs if by_kind is None else by_kind.get(fig.kind, specs):
        if not _kind_fits(fig, spec) or (spec.sections and section not in spec.sections):
            continue
        for name in spec.names:
            pos = key.rfind(name)
            if pos >= 0 and CONNECTOR.match(key[pos + len(name) :]):
                hits.append((pos, -len(name), spec))
    if not hits:
        return None
    pos, _, spec = min(hits, key=lambda h: (h[0], h[1]))
    head = key[:pos]
    if not head:
        return spec  # nothing before the name to name another cell
    other_names = getattr(specs, "other_names", None)
    others = other_names[id(spec)] if other_names is not None else [n for s in specs if s is not spec for n in s.names]
    if any(n and n in head for n in others) or any(b and b in head for b in blockers):
        return None
    return spec


def _kind_fits(fig: Figure, spec: FigureSpec) -> bool:
    if spec.kind == "amount":
        return fig.kind == "amount"
    if spec.kind == "percent":
        return fig.kind == "percent"
    return fig.kind == "count" and fig.unit in spec.units


# ------------------------------------------------------------------ project rows


@dataclass(slots=True)  # not frozen: made for every row of every package, five times cheaper
class ProjectRow:
    """A row of the basic data table's 项目支出 block: a first-level row or a named item."""

    name: str
    path: str  # 'basic.business_funds' or 'basic.district_special_items.3'
    final: Decimal | None
    budget: Decimal | None
    prev_final: Decimal | None
    parent: str | None = None  # the subtotal row's path for a named item
    is_leaf: bool = True
    children: list[str] = field(default_factory=list)


def project_rows(package: Package, form: dict[str, Any]) -> list[ProjectRow]:
    """The rows that make up 项目支出, leaves marked: a subtotal with named items is not a leaf."""
    basic = package.basic
    if basic is None:
        return []
    rows = {r["field"]: r for r in basic_rows(form)}
    top = rows.get("project_spending", {}).get("sum_of", [])
    out: list[ProjectRow] = []
    for fld in top:
        spec = rows[fld]
        items = getattr(basic, spec["items"]) if "items" in spec else []
        children = []
        for i, item in enumerate(items):
            path = f"basic.{spec['items']}.{i}"
            children.append(path)
            out.append(ProjectRow(
                name=squeeze(item.name), path=path, final=value_of(item.final), budget=value_of(item.budget),
                prev_final=value_of(item.prev_final), parent=f"basic.{fld}",
            ))
        out.append(ProjectRow(
            name=plain_label(spec["label"]), path=f"basic.{fld}", final=effective(basic, rows, fld, "final"),
            budget=effective(basic, rows, fld, "budget"), prev_final=effective(basic, rows, fld, "prev_final"),
            is_leaf=not children, children=children,
        ))
    return out


def item_name(subject: str) -> str:
    """A list item's name from its subject: '1、业务工作经费支出' -> '业务工作经费'."""
    key = name_key(_NUMBERING.sub("", subject))
    return re.sub(r"(?:支出|总额|金额|合计|共计|为|是)+$", "", key)
