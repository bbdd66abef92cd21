"""Word's automatic numbering on paragraphs: the '一、' a reader sees but the text does not hold.

Report headings are often a numbered list ('一、单位基本情况' with '一、' drawn by Word from
numbering.xml), directly (numPr) or through the paragraph style. The walk notes which
paragraphs carry numbering; here the numbers are counted and put in front of the text,
so headings read as they print. Counting follows Word closely enough for headings:
one counter per list and level, deeper levels restart when a shallower one moves.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from .ooxml import VAL, _w

NUMPR, ILVL, NUMID, PSTYLE = _w("numPr"), _w("ilvl"), _w("numId"), _w("pStyle")
ABSTRACT, ABSTRACT_ID, NUM, LVL = _w("abstractNum"), _w("abstractNumId"), _w("num"), _w("lvl")
START, FMT, TEXT, SUFF, OVERRIDE, START_OVERRIDE = (
    _w("start"), _w("numFmt"), _w("lvlText"), _w("suff"), _w("lvlOverride"), _w("startOverride"),
)
STYLE, STYLE_ID, BASED_ON, PPR = _w("style"), _w("styleId"), _w("basedOn"), _w("pPr")
_CN = "〇一二三四五六七八九"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


@dataclass(frozen=True)
class Ref:
    """A paragraph's numbering as the walk found it: direct (num_id, level) or by style."""

    block: int  # index into Document.blocks
    num_id: str | None
    level: int | None
    style: str | None


def chinese(n: int) -> str:
    if n <= 0:
        return str(n)
    if n < 10:
        return _CN[n]
    if n < 20:
        return "十" + (_CN[n % 10] if n % 10 else "")
    if n < 100:
        return _CN[n // 10] + "十" + (_CN[n % 10] if n % 10 else "")
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, digits in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + digits, n - value
    return out


def format_number(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "ideographTraditional",
               "japaneseCounting", "taiwaneseCounting"):
        return chinese(n)
    if fmt == "decimalFullWidth":
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return _CIRCLED[n - 1] if 0 < n <= len(_CIRCLED) else str(n)
    if fmt in ("upperLetter", "lowerLetter"):
        letter = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman"):
        return _roman(n) if fmt == "upperRoman" else _roman(n).lower()
    if fmt in ("none", "bullet"):
        return ""
    return str(n)  # decimal and anything unknown


def _levels(numbering: etree._Element) -> dict[str, dict[int, tuple[int, str, str, str]]]:
    """numId -> level -> (start, format, level text, suffix)."""
    abstract: dict[str, dict[int, tuple[int, str, str, str]]] = {}
    for an in numbering.iter(ABSTRACT):
        levels = {}
        for lvl in an.iter(LVL):
            get = {el.tag: el.get(VAL) for el in lvl}
            try:
                level, start = int(lvl.get(_w("ilvl"), "0")), int(get.get(START) or 1)
            except ValueError:
                continue
            levels[level] = (start, get.get(FMT) or "decimal", get.get(TEXT) or "", get.get(SUFF) or "tab")
        abstract[an.get(ABSTRACT_ID, "")] = levels
    out = {}
    for num in numbering.iter(NUM):
        ref = num.find(ABSTRACT_ID)
        levels = dict(abstract.get(ref.get(VAL) if ref is not None else "", {}))
        for ov in num.iter(OVERRIDE):
            so = ov.find(START_OVERRIDE)
            try:
                level = int(ov.get(_w("ilvl"), "0"))
                if so is not None and level in levels:
                    levels[level] = (int(so.get(VAL, "1")),) + levels[level][1:]
            except ValueError:
                continue
        out[num.get(_w("numId"), "")] = levels
    return out


def _style_numbering(styles: etree._Element | None) -> dict[str, tuple[str, int]]:
    """Paragraph style -> (numId, level), following basedOn."""
    if styles is None:
        return {}
    direct: dict[str, tuple[str | None, int | None]] = {}
    based: dict[str, str] = {}
    for st in styles.iter(STYLE):
        sid = st.get(STYLE_ID, "")
        ppr = st.find(PPR)
        num = ppr.find(NUMPR) if ppr is not None else None
        if num is not None:
            nid, lvl = num.find(NUMID), num.find(ILVL)
            direct[sid] = (nid.get(VAL) if nid is not None else None, int(lvl.get(VAL, "0")) if lvl is not None else None)
        parent = st.find(BASED_ON)
        if parent is not None:
            based[sid] = parent.get(VAL, "")
    out = {}
    for sid in set(direct) | set(based):
        seen, cur = set(), sid
        while cur and cur not in direct and cur not in seen:
            seen.add(cur)
            cur = based.get(cur, "")
        if cur in direct and direct[cur][0]:
            out[sid] = (direct[cur][0], direct[cur][1] or 0)
    return out


def prefixes(refs: list[Ref], numbering: etree._Element, styles: etree._Element | None) -> dict[int, str]:
    """Block index -> the number Word draws before that paragraph ('一、', '1.', '（二）')."""
    levels = _levels(numbering)
    by_style = _style_numbering(styles) if any(r.style for r in refs) else {}
    counters: dict[str, dict[int, int]] = {}
    out: dict[int, str] = {}
    for ref in refs:
        num_id, level = ref.num_id, ref.level
        if num_id is None and ref.style in by_style:
            num_id, style_level = by_style[ref.style]
            level = style_level if level is None else level
        level = level or 0
        if not num_id or num_id == "0" or num_id not in levels or level not in levels[num_id]:
            continue
        count = counters.setdefault(num_id, {})
        start = levels[num_id][level][0]
        count[level] = count.get(level, start - 1) + 1
        for deeper in [k for k in count if k > level]:
            del count[deeper]
        _, fmt, text, suffix = levels[num_id][level]
        label = text
        for k in range(level + 1):
            if f"%{k + 1}" in label:
                kfmt = levels[num_id].get(k, (1, "decimal", "", ""))[1]
                kstart = levels[num_id].get(k, (1,))[0]
                label = label.replace(f"%{k + 1}", format_number(count.get(k, kstart), kfmt if k != level else fmt))
        if label:
            out[ref.block] = label + {"space": " ", "nothing": ""}.get(suffix, " ")
    return out
