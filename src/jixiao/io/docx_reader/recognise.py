"""Which form a document is on, told from its titles and labels (the form definitions' data).

Each form definition says how its tables are titled (``parts.*.title_patterns``), what it prints
above or under the title (``captions.preamble`` such as a report number line, ``captions.title_lines``
such as a bare '（2022年度）' line) and which labels only it prints (``reader.recognition.labels``).
A document scores for a form by how many different marks of those it carries, then by the longest of its
title patterns found (titles are shared: the national project table and a province's copy of it
are both '项目支出绩效自评表'); the best score wins. Two forms left level is said in a finding, never
settled silently; ``--form`` (``forcing``) skips the recognition altogether.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from importlib import resources

from ...forms import DEFAULT_FORM, load_form
from ...model.values import fold
from .blocks import Document, Para, Table
from .cells import holding, label_value
from .labels import norm

MAX_TEXT = 80  # longer text is neither a title nor a label
# A year line may name the months of a monitoring table too: （2024年度1-7月）, （2024年1—6月）.
_YEAR_LINE = re.compile(r"^[(（]?\s*(20\d\d)\s*年度?\s*(?:(?:1|一)\s*月?\s*[-—–~～至到]\s*\d{1,2}\s*月(?:份)?)?\s*[)）]?$")

# The form a caller forces (``jixiao import --form``): read every document on it, recognise nothing.
_FORCED: ContextVar[str | None] = ContextVar("forced_form", default=None)


@contextmanager
def forcing(form: str | None) -> Iterator[None]:
    """Read documents on ``form`` while inside (None: recognise each document's form)."""
    if form:
        load_form(form)  # an unknown name is a FormError naming it, before any file is read
    with holding(_FORCED, form or None):
        yield


def forced_form() -> str | None:
    return _FORCED.get()


# The year a caller gives for files that state none (``jixiao import --year``; the web: its campaign's).
_GIVEN_YEAR: ContextVar[int | None] = ContextVar("given_year", default=None)


def giving_year(year: int | None):
    """Read files that state no year as ``year``'s while inside (None: such a file is refused)."""
    return holding(_GIVEN_YEAR, year or None)


def given_year() -> int | None:
    return _GIVEN_YEAR.get()


def year_line(text: str) -> int | None:
    """The year of a line that holds only a year: '（2022年度）', '(2022年)', '2022年度'."""
    m = _YEAR_LINE.match(fold(text).strip()) if text and len(text) <= 20 else None
    return int(m.group(1)) if m else None


@cache
def form_names() -> tuple[str, ...]:
    """The form definitions shipped with jixiao, the default first."""
    names = sorted(p.name[:-5] for p in resources.files("jixiao.forms").iterdir() if p.name.endswith(".yaml"))
    return (DEFAULT_FORM, *[n for n in names if n != DEFAULT_FORM])


@dataclass(frozen=True)
class _Marks:
    titles: tuple[str, ...]  # normalised title patterns
    labels: frozenset[str]  # normalised labels only this form prints
    preamble: tuple[str, ...]  # normalised lead of a line above the title ('报表编号')
    year_line: bool  # prints the year on a line of its own under the title


@cache
def _marks(name: str) -> _Marks:
    form = load_form(name)
    titles = {norm(p) for part in form["parts"].values() for p in part.get("title_patterns", [])}
    labels = {norm(x) for x in form["reader"].get("recognition", {}).get("labels", [])}
    captions = form["captions"]
    preamble = {norm(re.split(r"[:：]", line, maxsplit=1)[0]) for line in captions.get("preamble", {}).values()}
    return _Marks(tuple(sorted(titles)), frozenset(labels), tuple(sorted(preamble)), bool(captions.get("title_lines")))


@dataclass(frozen=True)
class Recognised:
    form: str
    doubt: str | None = None  # a finding: the forms left level, and which one was taken


def _texts(doc: Document) -> Iterator[str]:
    for block in doc.blocks:
        if isinstance(block, Para):
            if not block.hint and block.text and len(block.text) <= MAX_TEXT:
                yield block.text
        elif isinstance(block, Table):
            for row in block.rows:
                for cell in row.own():
                    if cell.text and len(cell.text) <= MAX_TEXT:
                        yield cell.text


def _score(name: str, texts: list[str], labels: list[str]) -> tuple[int, int]:
    marks = _marks(name)
    title = max((len(p) for p in marks.titles for t in texts if p in t), default=0)
    hits = len(marks.labels.intersection(labels))  # each label once: a header repeated is one mark
    if marks.year_line and any(year_line(t) for t in texts):
        hits += 1
    if marks.preamble and any(t.startswith(marks.preamble) for t in texts):
        hits += 1
    return hits, title


def recognise(doc: Document) -> Recognised:
    """The form ``doc`` is on: forced, else the best-scoring definition (the default when nothing tells)."""
    forced = forced_form()
    if forced:
        return Recognised(forced)
    raw = list(_texts(doc))
    texts = [norm(t) for t in raw]
    labels = list(texts)
    for t in raw:
        if ":" in t or "：" in t:
            lv = label_value(t)
            if lv:
                labels.append(norm(lv[0]))
    scores = {name: _score(name, texts, labels) for name in form_names()}
    best = max(scores.values())
    if best == (0, 0):
        return Recognised(DEFAULT_FORM)
    level = [name for name, score in scores.items() if score == best]
    if len(level) == 1:
        return Recognised(level[0])
    pick = level[0]  # form_names() puts the default first
    names = "、".join(f"“{load_form(n).get('name') or n}”（{n}）" for n in level)
    return Recognised(pick, f"无法判断文件用的是哪种表式：{names}都可能，按“{pick}”读入；可用 --form 指定表式")
