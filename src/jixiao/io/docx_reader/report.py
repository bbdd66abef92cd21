"""自评报告: the text after the tables, split into its ten sections by their headings.

A heading is a short paragraph whose text, numbering taken off, is one of the form's ten
section titles (or close to it: '部门整体支出绩效情况' for '单位整体支出绩效情况'). The
numbering varies in real files ('一、', '1、', '6、', '八、'); the title decides the number, and
sections must come in order, so a body line like '1、负责区城市管理…' never starts a section.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from ...model import Report, ReportSection
from .blocks import Para
from .common import Sink
from .vocab import Vocab, norm

_CN = {c: i for i, c in enumerate("一二三四五六七八九十", 1)}
_PREFIX = re.compile(r"^\s*第?(?P<num>[一二三四五六七八九十]{1,3}|\d{1,2})\s*(?:[、.．]|章|部分)\s*")
_SENTENCE = re.compile(r"[。；;，,]")
MAX_HEADING = 40


def _numeral(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    if len(text) == 2 and text[0] == "十":
        return 10 + _CN.get(text[1], 0)
    if len(text) == 2 and text[1] == "十":
        return _CN.get(text[0], 0) * 10
    return _CN.get(text)


_MATCHERS: dict[int, list[tuple[int, str, SequenceMatcher]]] = {}


def _titles(v: Vocab) -> list[tuple[int, str, SequenceMatcher]]:
    """(number, normalised title, a matcher holding the title as its second sequence), built once."""
    key = id(v)
    if key not in _MATCHERS:
        out = []
        for s in (v.form.get("report") or {}).get("sections", []):  # a form without a report: no headings
            title = norm(s["title"])
            sm = SequenceMatcher(None, "", title, autojunk=False)
            out.append((s["number"], title, sm))
        _MATCHERS[key] = out
    return _MATCHERS[key]


def heading(text: str, v: Vocab) -> tuple[int, bool] | None:
    """(section number, matched by title) when ``text`` is a section heading; numbering alone is weaker."""
    if not text or len(text) > MAX_HEADING + 20:  # most body paragraphs end here, cheaply
        return None
    m = _PREFIX.match(text)
    rest = norm(text[m.end():] if m else text)
    if not rest or len(rest) > MAX_HEADING:
        return None
    best, score = None, 0.0
    chars = set(rest)
    for number, title, sm in _titles(v):
        if rest == title:
            return number, True
        if rest.startswith(title) and len(rest) - len(title) <= 6:
            ratio = 0.9
        elif 2 * len(chars.intersection(title)) < 0.75 * (len(rest) + len(title)) - 2:
            continue  # too few characters in common to reach the threshold
        else:
            sm.set_seq1(rest)
            ratio = sm.ratio()
        if ratio > score:
            best, score = number, ratio
    if best is not None and score >= 0.75:
        return best, True
    if m and not m.group("num").isdigit() and not _SENTENCE.search(rest) and len(rest) <= 30:
        return _numeral(m.group("num")), False  # '六、绩效评价结论': a Chinese-numbered short line
    return None


def read_report(paras: list[Para], title: str | None, v: Vocab, sink: Sink) -> Report:
    sections: list[ReportSection] = []
    body: list[str] = []
    preamble: list[Para] = []
    last = 0
    for para in paras:
        text = para.text
        hit = heading(text, v) if text else None
        if hit is not None:
            number, by_title = hit
            if number is not None and number > last and (by_title or number == last + 1):
                if sections:
                    sections[-1].body = "\n".join(body)
                sections.append(ReportSection(number=number, heading=text, body=""))
                body, last = [], number
                continue
        if not text:
            continue
        if sections:
            body.append(text)
        else:
            preamble.append(para)
    if sections:
        sections[-1].body = "\n".join(body)
    for para in preamble:
        sink.add(para.where, f"报告中位于第一个章节标题之前的文字未归入任何章节：“{para.text[:40]}”")
    return Report(title=title, sections=sections)


def unit_from_title(title: str | None) -> str | None:
    """'2023 年度岳阳市…中心单位整体支出绩效自评报告' -> '岳阳市…中心'."""
    if not title:
        return None
    text = re.sub(r"\s+", "", title)
    text = re.sub(r"^.*?20\d\d年度?", "", text)
    text = re.sub(r"(单位|部门)?(整体支出)?绩效自评(价)?报告$", "", text)
    return text or None
