"""Finding the parts of a package in a document, by title and content, and assembling it.

Never by '附件N' (districts number the parts differently) and never by position: a table
is a 基础数据表, 整体 or 项目支出 table by the labels it holds, a title paragraph names the
part of the table that follows, an unidentifiable table right after an evaluation table
continues it (some units split the indicators into a table of their own). Notes and the
signature line under a table belong to it; the report is the text after the tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from ...forms import DEFAULT_FORM, caption_name, form_def, part_name
from ...model import BasicDataTable, OverallTable, Package, ProjectTable, Report, Signature
from ...model.values import fold
from ..issues import ImportIssue
from .basic import read_basic
from .blocks import Document, Para, Row, Table
from .cells import amounts_in_yuan, label_value
from .common import UNREAD, Sink, trailer
from .evaluation import read_evaluation
from .recognise import year_line
from .report import heading, read_report, unit_from_title
from .vocab import Matcher, Vocab, norm, vocab, year_in

_ANNEX = re.compile(r"^附件\s*[0-9一二三四五六七八九十]*[:：]?$")
_UNIT_LINE = re.compile(r"^(金额)?单位[:：]\s*(万元|元|人)$")
# Where a table states the unit of its amounts: '金额单位：元' (a line, or a cell of a row such as
# '填报单位：…  金额单位：元'), or a money caption with the unit in brackets ('项目资金（元）',
# '年初预算数（万元）'); an indicator's own unit ('人均成本（元）') is not a money caption.
_UNIT_STATED = re.compile(r"(?:金额)?单位[:：]\s*(万元|元)(?![\w])")
_MONEY_CAPTION = re.compile(r"(?:资金|金额|预算|经费|执行数|投资|支出|收入|合计|总额)[^()（）]{0,6}[(（]\s*(?:单位[:：])?\s*(万元|元)\s*[)）]")
MAX_TITLE = 80


@cache
def _header_year() -> re.Pattern[str]:
    """A year printed in a header of the basic table ('2023年决算数', '(2023年完工项目)'): the
    words after '{year}年' in the form's basic columns and captions."""
    form = form_def()
    texts = [c["label"] for key in ("staffing_columns", "amount_columns") for c in form["basic"][key]]
    texts += [t for t in form["captions"]["basic"].values() if isinstance(t, str)]
    words = {norm(m.group(1)) for t in texts for m in re.finditer(r"\{year\}年([^{}()（）\n]+)", t)}
    return re.compile(r"(20\d\d)年(" + "|".join(re.escape(w) for w in sorted(words)) + ")")


@cache
def _markers(v: Vocab) -> dict[str, set[str]]:
    """Normalised labels that only one kind of table holds."""
    ev = v.form["evaluation"]
    caps = v.captions
    kinds = {
        "basic": set(v.basic_rows) | set(v.staffing.index) | set(v.amounts.index) | set(v.buildings.index)
        | caps["basic"]["staffing"] | caps["basic"]["amounts"] | caps["basic"]["buildings"] | caps["basic"]["frugality"],
        "overall": set(v.income) | set(v.spending) | caps["evaluation"]["income"] | caps["evaluation"]["spending"]
        | caps["evaluation"]["overall_funds"] | set(Matcher(ev.get("overall_fund_rows", [])).index)
        # without a basic table to share it, the unit's name is the 整体 table's own header
        | (caps["evaluation"]["unit_name"] if "basic" not in v.form["parts"] else frozenset())
        # 年度主要任务 (an 整体 target table)
        | {label for label, fld in v.tasks.index.items() if fld in ("name", "content")} | caps["evaluation"]["tasks"],
        "project": set(v.project_fields.index) | set(Matcher(ev.get("project_fund_rows", [])).index)
        | caps["evaluation"]["project_funds"],
        "evaluation": set(v.funds.index) | set(v.indicators.index) | set(v.goals.index) | caps["evaluation"]["goals"]
        | caps["evaluation"]["indicators"] | set(Matcher([ev["funds_total"]]).index),
    }
    shared = {}
    for labels in kinds.values():
        for label in labels:
            shared[label] = shared.get(label, 0) + 1
    return {k: {x for x in labels if shared[x] == 1} for k, labels in kinds.items()}


_MARK_INDEX: dict[int, tuple[dict[str, str], int]] = {}


def _mark_index(v: Vocab, markers: dict[str, set[str]]) -> tuple[dict[str, str], int]:
    """Normalised label -> the one kind of table that holds it, and the longest such label."""
    key = id(v)
    if key not in _MARK_INDEX:
        index = {label: kind for kind, labels in markers.items() for label in labels}
        _MARK_INDEX[key] = (index, max(map(len, index), default=0))
    return _MARK_INDEX[key]


def classify(table: Table, v: Vocab, markers: dict[str, set[str]]) -> tuple[str | None, bool]:
    """(kind, whether the table starts its part). Kind 'evaluation' is an 整体 or 项目 table not yet told apart."""
    index, longest = _mark_index(v, markers)
    hits = dict.fromkeys(markers, 0)
    head = {"basic": False, "overall": False, "project": False}
    is_cap = v.is_caption
    limit = longest + 12  # room for spaces, line breaks, numbering and '：value' around a label
    for row in table.rows:
        for cell in row.own():
            text = cell.text
            if len(text) > limit:
                continue
            label = norm(text)
            kind = index.get(label)
            if kind is None and (":" in text or "：" in text):
                lv = label_value(text)
                if lv:
                    kind = index.get(norm(lv[0]))
            if kind is not None:
                hits[kind] += 1
            if is_cap("basic", "unit_name", label):
                head["basic"] = head["overall"] = True
            elif is_cap("evaluation", "unit_name", label) and "basic" not in v.form["parts"]:
                head["overall"] = True
            elif is_cap("basic", "staffing", label, prefix=True):
                head["basic"] = True
            elif v.project_fields.index.get(label) == "project_name":
                head["project"] = True
            elif is_cap("evaluation", "overall_funds", label, prefix=True):
                head["overall"] = True
    best = max(("basic", "overall", "project"), key=lambda k: hits[k])
    if hits[best] > 0:
        return best, head[best]
    return ("evaluation", False) if hits["evaluation"] else (None, False)


def title_kind(text: str, v: Vocab) -> str | None:
    if not text or len(text) > MAX_TITLE:
        return None
    label = norm(text)
    # the longest pattern found decides: '整体支出绩效目标执行监控表' over the shorter '绩效目标执行监控表'
    # a 项目 title pattern of the same form also holds (ties keep this order)
    best, length = None, 0
    for kind in ("report", "basic", "project", "overall"):
        found = max((len(p) for p in v.titles.get(kind, ()) if p in label), default=0)
        if found > length:
            best, length = kind, found
    return best


@dataclass
class _Part:
    kind: str
    rows: list[Row] = field(default_factory=list)
    title: str | None = None
    lines: list[tuple[str, object]] = field(default_factory=list)  # ('note'|'signature', …)
    unit_line: str | None = None  # the '金额单位：元' line above the table


@dataclass
class Found:
    """The parts one document holds, parsed."""

    year: int | None
    basic: list[BasicDataTable] = field(default_factory=list)
    overall: list[OverallTable] = field(default_factory=list)
    projects: list[ProjectTable] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)
    issues: list[ImportIssue] = field(default_factory=list)


def _lift(table: Table, v: Vocab) -> tuple[list[Para], Table, list[Para]]:
    """Title rows above and note/signature rows below a table written inside it (Excel does that)."""
    rows = table.rows
    start, stop = 0, len(rows)
    before: list[Para] = []
    after: list[Para] = []
    while start < stop:
        own = rows[start].own()
        if rows[start].is_blank():
            start += 1
            continue
        if len(own) == 1 and _single_line_kind(own[0].text, v) in ("title", "annex", "unit", "year", "preamble"):
            before.append(Para(own[0].text, rows[start].where))
            start += 1
            continue
        break
    while stop > start:
        own = rows[stop - 1].own()
        if rows[stop - 1].is_blank():
            stop -= 1
            continue
        if len(own) == 1 and trailer(own[0].text, v):
            after.insert(0, Para(own[0].text, rows[stop - 1].where))
            stop -= 1
            continue
        break
    return before, Table(rows[start:stop], table.where), after


def _single_line_kind(text: str, v: Vocab) -> str | None:
    flat = fold(text).strip()
    if _ANNEX.match(flat):
        return "annex"
    if _UNIT_LINE.match(flat.replace(" ", "")):
        return "unit"
    if year_line(text):
        return "year"  # the year on its own line under the title ('（2022年度）')
    if _preamble(text, v):
        return "preamble"
    if title_kind(text, v):
        return "title"
    return None


def _preamble(text: str, v: Vocab) -> bool:
    """The line a budget system prints above the title ('报表编号：…'): the form's, not the unit's."""
    for line in v.form["captions"].get("preamble", {}).values():
        lead = re.split(r"[:：]", line, maxsplit=1)[0]
        if lead and fold(text).strip().startswith(fold(lead)):
            return True
    return False


def doc_year(doc: Document) -> int | None:
    for block in doc.blocks:  # a bare year line under a bare title ('（2022年度）')
        if isinstance(block, Para) and not block.hint and year_line(block.text):
            return year_line(block.text)
    for block in doc.blocks:
        if isinstance(block, Para) and not block.hint and len(block.text) <= MAX_TITLE and "年" in block.text:
            if re.search(r"(绩效|基础数据|自评)", block.text):
                year = year_in(block.text)
                if year:
                    return year
    for block in doc.blocks:  # a title written in the table's first rows (a spreadsheet's A1)
        if isinstance(block, Table):
            for row in block.rows[:3]:
                for cell in row.own():
                    text = cell.text
                    if len(text) <= MAX_TITLE and "年" in text and re.search(r"(绩效|基础数据|自评)", text):
                        year = year_in(text)
                        if year:
                            return year
                    if year_line(text):
                        return year_line(text)
    years = []
    for block in doc.blocks:
        if isinstance(block, Table):
            for row in block.rows[:40]:
                for cell in row.own():
                    m = _header_year().search(norm(cell.text))
                    if m:
                        years.append(int(m.group(1)))
    return max(years) if years else None


def _lifted(doc: Document, v: Vocab) -> list[Para | Table]:
    blocks: list[Para | Table] = []
    for block in doc.blocks:
        if isinstance(block, Table):
            before, table, after = _lift(block, v)
            blocks.extend(before)
            if table.rows:
                blocks.append(table)
            blocks.extend(after)
        else:
            blocks.append(block)
    return blocks


def read_blocks(doc: Document, year: int, form: str = DEFAULT_FORM) -> Found:
    v = vocab(year, form)
    markers = _markers(v)
    found = Found(year=year)
    sink = Sink("")
    parts: list[_Part] = []
    pending: dict[str, str] = {}  # title paragraphs waiting for their table
    unit_line: str | None = None  # a '金额单位：…' line waiting for its table
    hint: str | None = None  # an Excel sheet's name
    report: list[Para] | None = None
    report_title: str | None = None
    strays: list[Para] = []
    last: _Part | None = None
    blocks = _lifted(doc, v)
    for i, block in enumerate(blocks):
        if isinstance(block, Table):
            kind, starts = classify(block, v, markers)
            if report is not None and kind not in ("basic", "overall", "project"):
                # a table inside the report: keep its text in the report, row by row
                report.extend(Para("\t".join(c.text for c in r.own()), r.where) for r in block.rows)
                continue
            if kind in (None, "evaluation"):
                for guess in (hint, "project" if "project" in pending else None, "overall" if "overall" in pending else None):
                    if guess in ("overall", "project"):
                        kind = guess
                        break
            if last is not None and kind not in pending and (
                (kind in (None, "evaluation") and last.kind in ("overall", "project"))
                or (kind == last.kind and not starts)
            ):
                last.rows.extend(block.rows)  # the same table, continued
                continue
            if kind == "evaluation":
                kind = "project" if any(p.kind == "overall" for p in parts) else "overall"
                sink.add(block.where, f"表格没有标题，按内容判断为{part_name(kind, v.form)}")
            if kind is None:
                sink.add(block.where, "无法识别是哪一张表，内容未导入")
                continue
            last = _Part(kind, list(block.rows), pending.pop(kind, None), unit_line=unit_line)
            unit_line = None
            parts.append(last)
            report = None
            continue
        text = block.text
        if block.hint:
            hint = title_kind(text, v)
            continue
        if report is not None:
            kind = title_kind(text, v)
            nxt = _next_table(blocks, i)
            if kind in ("basic", "overall", "project") and nxt is not None:
                pending[kind] = text  # a part after the report
                report = None
            else:
                report.append(block)
            continue
        if not text:
            continue
        line = trailer(text, v)
        if line and last is not None:
            last.lines.append(line)
            continue
        kind = title_kind(text, v)
        if kind == "report":
            report, report_title = [], text
        elif kind:
            pending[kind] = text
        elif (line_kind := _single_line_kind(text, v)) in ("annex", "unit", "year", "preamble"):
            if line_kind == "unit":
                unit_line = text.strip()
            continue
        elif (hit := heading(text, v)) is not None and hit[1]:
            # the report starts at its first heading; a short line with 报告 just before is its title
            at = next((k for k in range(len(strays) - 1, -1, -1) if "报告" in strays[k].text), None)
            if at is not None and len(strays[at].text) <= MAX_TITLE:
                report_title = strays[at].text
                report = strays[at + 1 :]
                strays = strays[:at]
            else:
                report = []
            report.append(block)
        else:
            strays.append(block)
    for para in strays:
        sink.add(para.where, f"未能归入任何表格或报告的段落，未导入：“{para.text[:40]}”")
    for kind, title in pending.items():
        sink.add("", f"有标题“{title.strip()}”但其后没有{part_name(kind, v.form)}")
    for part in parts:
        _parse_part(part, v, found)
    if report is not None:
        rsink = Sink(part_name("report", v.form))
        found.reports.append(read_report(report, report_title.strip() if report_title else None, v, rsink))
        found.issues.extend(rsink.issues)
    found.issues.extend(sink.issues)
    return found


def _next_table(blocks: list[Para | Table], i: int) -> Table | None:
    for block in blocks[i + 1 :]:
        if isinstance(block, Table):
            return block
        if block.text:
            return None
    return None


def _money_unit(part: _Part, sink: Sink) -> bool:
    """Whether the table states its amounts in 元 (and nowhere in 万元): then they are read ÷10000
    as 万元, and a note names where it says so. Both units stated: read as 万元, and a note asks."""
    stated: dict[str, str] = {}
    texts = [part.unit_line] if part.unit_line else []
    texts += [c.text for row in part.rows for c in row.own()]
    for text in texts:
        flat = fold(text or "").replace(" ", "")
        for m in (*_UNIT_STATED.finditer(flat), *_MONEY_CAPTION.finditer(flat)):
            stated.setdefault(m.group(1), text.strip())
    if "元" not in stated:
        return False
    if "万元" in stated:
        sink.add("金额单位", f"表内金额单位既写“{stated['元']}”又写“{stated['万元']}”，已按万元读入，请核对")
        return False
    sink.add("金额单位", f"本表金额以元为单位（“{stated['元']}”），已换算为万元（÷10000）读入")
    return True


def _parse_part(part: _Part, v: Vocab, found: Found) -> None:
    sink = Sink(part_name(part.kind, v.form))
    with amounts_in_yuan(_money_unit(part, sink)):
        if part.kind == "basic":
            table, lines = read_basic(part.rows, v, sink)
            found.basic.append(table)
        else:
            table, lines = read_evaluation(part.rows, v, sink, project=part.kind == "project")
            (found.projects if part.kind == "project" else found.overall).append(table)
    table.title = part.title.strip() if part.title else None
    notes = []
    signature = table.signature.model_dump()
    for kind, value in [*lines, *part.lines]:
        if kind == "note":
            notes.append(value)
        else:
            if UNREAD in value:
                value = dict(value)
                sink.add("签字栏", f"表式的签字栏没有这一项，未导入：“{value.pop(UNREAD)}”")
            signature.update({k: val for k, val in value.items() if val is not None or signature.get(k) is None})
    table.signature = Signature(**signature)
    if notes:
        table.note = "\n".join(notes)
    found.issues.extend(sink.issues)


_BUDGET_CODE = re.compile(r"^\s*\d{3,}\s*[-－—–_]\s*(?=\S)")


def without_code(name: str | None) -> str | None:
    """A unit's name without the budget code some forms write before it ('305-某某县某某局')."""
    return _BUDGET_CODE.sub("", name) if name else name


def assemble(
    founds: list[Found], sources: list[str] | None = None, form: str = DEFAULT_FORM
) -> tuple[Package, list[ImportIssue]]:
    """One package from the parts of one or several documents; duplicates become findings."""
    issues: list[ImportIssue] = []
    sources = sources or [""] * len(founds)
    picked: dict[str, object] = {}
    projects: list[ProjectTable] = []
    for found, source in zip(founds, sources, strict=True):
        issues.extend(ImportIssue(i.where, i.message, source or i.source) for i in found.issues)
        for kind, items in (("basic", found.basic), ("overall", found.overall), ("report", found.reports)):
            for item in items:
                if kind in picked and not _is_empty(picked[kind]):
                    if not _is_empty(item):
                        name = part_name(kind, form if kind in form_def(form)["parts"] else None)
                        issues.append(ImportIssue(name, f"{name}出现了不止一份，只导入第一份", source or None))
                else:  # an unfilled copy (a template's blank sheet) gives way to a filled one
                    picked[kind] = item
        projects.extend(found.projects)
    years = [f.year for f in founds if f.year]
    if not picked and not projects:
        raise _nothing(form)
    basic, overall, report = picked.get("basic"), picked.get("overall"), picked.get("report")
    unit = without_code(
        (basic.unit_name if basic else None)
        or (overall.unit_name if overall else None)
        or unit_from_title(report.title if report else None)
        or next((p.implementing_unit for p in projects if p.implementing_unit not in (None, "/")), None)
        or next((p.department for p in projects if p.department not in (None, "/")), None)
    )
    if not unit:
        key = ("basic", "unit_name") if "basic" in form_def(form)["parts"] else ("evaluation", "implementing_unit")
        issues.append(ImportIssue("材料", f"没有找到{caption_name(*key, form_def(form))}"))
    package = Package(
        form=None if form == DEFAULT_FORM else form,
        fiscal_year=years[0], unit_name=unit or "", basic=basic, overall=overall, projects=projects, report=report,
    )
    return package, issues


def _is_empty(part) -> bool:
    """Nothing filled in: a report without text, a table equal to a blank one but for its title."""
    if isinstance(part, Report):
        return not any(s.body.strip() for s in part.sections)
    skip = {"title", "signature", "note", "indicators"}
    blank = type(part)().model_dump(exclude=skip)
    filled = any(ind for l1 in getattr(part, "indicators", []) for ind in l1.all_indicators())
    return not filled and part.model_dump(exclude=skip) == blank


def _nothing(form: str = DEFAULT_FORM):
    from .. import InputError

    spec = form_def(form)
    if spec.get("stage", "evaluation") == "evaluation":
        return InputError(f"文件中没有找到{part_name('basic')}、自评表或{part_name('report')}")
    # a form of another step of the cycle: name its own tables, and say what the reader looks for
    names = "或".join(p["name"] for p in spec["parts"].values())
    return InputError(f"文件中没有找到{names}（表式：{spec.get('name') or form}）：未能识别表格的标题或表头；"
                      "请核对表格是否按该表式填写，或用 --form 指定表式")
