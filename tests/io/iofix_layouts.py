"""Test fixtures: three ways to lay the same blocks out as Word tables.

- official: one table per part, labels merged down their group (vMerge), spans as the
  printed forms have them.
- alt: merges arranged differently: the 经费控制情况 caption as a merged column left of
  the row labels, staffing as label/value pairs in one row, gridBefore rows, the 整体
  table split into a funds table and an indicator table without the 绩效指标 column,
  一级/二级 labels repeated on every row instead of merged, the income/spending split as
  label and value cells.
- variations: the official layout with what real files do to it: blank rows, '……' and
  '......' rows, thousands separators, full-width digits, units in cells, text cut into
  runs, bookmarks, fields, tracked changes, content controls, text boxes, page breaks,
  line breaks and other numbering inside labels, rows the seed has left out.
Every layout must import to the same package.
"""

from __future__ import annotations

import re

from iofix_docx import C, Options, R, T, document_xml, docx_bytes
from iofix_seed import package_blocks

MERGE_COLS = {"basic": {7: (0,), 4: (0,)}, "overall": {9: (0, 1, 2), 8: (0,), 3: (0,)}, "project": {9: (0, 1, 2), 8: (0,), 3: (0,)}}


def _spans(kind: str, row: list[str]) -> list[int]:
    n = len(row)
    if kind == "basic":
        return {2: [1, 6], 4: [1, 2, 2, 2], 7: [1] * 7}[n]
    if n == 4:
        return [6, 1, 1, 1] if row[0].startswith("总分") else [2, 3, 2, 2]
    return {2: [2, 7], 8: [1, 2, 1, 1, 1, 1, 1, 1], 3: [1, 4, 4], 9: [1] * 9}[n]


def _merge(rows: list[R], kind: str) -> list[R]:
    """Empty cells in label columns continue the cell above (vMerge), as the printed forms do."""
    prev: dict[int, C] = {}
    for r in rows:
        here: dict[int, C] = {}
        col = r.before
        cols = MERGE_COLS[kind].get(len(r.cells), ())
        for i, c in enumerate(r.cells):
            up = prev.get(col)
            if i in cols and not r.stray and c.text == "" and up is not None and up.span == c.span and (up.text or up.vmerge):
                c.vmerge = "continue"
                if up.vmerge is None:
                    up.vmerge = "restart"
            here[col] = c
            col += c.span
        prev = here
    return rows


def official_table(kind: str, rows: list[list[str]]) -> T:
    out = [R([C(t, s) for t, s in zip(row, _spans(kind, row), strict=True)]) for row in rows]
    return T(_merge(out, kind), 7 if kind == "basic" else 9)


# ------------------------------------------------------------------ alt


def _fill_down(rows: list[list[str]]) -> list[list[str]]:
    """一级/二级 labels written on every row of their group instead of merged."""
    out, l1, l2, on = [], "", "", False
    for row in rows:
        if len(row) == 9 and row[1] == "一级指标":
            on = True
            out.append(row)
            continue
        if on and len(row) == 9:
            row = list(row)
            if row[1]:
                l1, l2 = row[1], ""
            if row[2]:
                l2 = row[2]
            row[1], row[2] = l1, l2
        else:
            on = False
        out.append(row)
    return out


def _pair(text: str) -> list[str]:
    if not text:
        return ["", ""]
    label, _, value = text.rpartition("：")
    return [label.replace("  ", ""), value]


def alt_items(kind: str, rows: list[list[str]]) -> list:
    if kind == "basic":
        out: list[R] = []
        it = iter(rows)
        for row in it:
            if row[0] == "预算单位名称":
                out.append(R([C(row[0], 3), C(row[1], 5)]))
            elif row[0].startswith("财政供养"):
                values = next(it)
                out.append(R([C(row[0], 2), C(row[1]), C(values[1]), C(row[2]), C(values[2]), C(row[3]), C(values[3])]))
            elif row[0].startswith("经费控制"):
                out.append(R([C(row[0], 1, "restart"), C("", 2), C(row[1]), C(row[2], 2), C(row[3], 2)]))
            elif len(row) == 4:
                out.append(R([C("", 1, "continue"), C(row[0], 2), C(row[1]), C(row[2], 2), C(row[3], 2)]))
            elif len(row) == 7 and row[0]:
                out.append(R([C(row[0], 2)] + [C(t) for t in row[1:]]))
            elif len(row) == 7:
                out.append(R([C(t) for t in row[1:]], before=2))
            else:
                out.append(R([C(row[0], 2), C(row[1], 5)], before=1))
        return [T(out, 8)]
    rows = _fill_down(rows)
    top: list[R] = []
    bottom: list[R] = []
    for row in rows:
        n = len(row)
        if n == 2:
            top.append(R([C(row[0], 3), C(row[1], 6)]))
        elif n == 4 and not row[0].startswith("总分"):
            top.append(R([C(row[0], 1), C(row[1], 3), C(row[2], 1), C(row[3], 4)]))
        elif n == 8:
            top.append(R([C(row[0] or row[1], 3)] + [C(t) for t in row[2:]]))
        elif n == 3 and row[1] in ("预期目标",) or (n == 3 and top and top[-1].cells[1].text == "预期目标"):
            top.append(R([C(row[0], 1, None if row[0] else "continue"), C(row[1], 4), C(row[2], 4)]))
            if row[0]:
                top[-1].cells[0].vmerge = "restart"
        elif n == 3:
            if row[1].startswith("按收入"):
                top.append(R([C(row[1], 5), C(row[2], 4)]))
            else:
                top.append(R([C(x, s) for x, s in zip(_pair(row[1]) + _pair(row[2]), (3, 2, 2, 2), strict=True)]))
        elif n == 9:
            bottom.append(R([C(t) for t in row[1:]]))
        else:  # 总分
            bottom.append(R([C(row[0], 5), C(row[1]), C(row[2]), C(row[3])]))
    return [T(top, 9), "", T(bottom, 8)]


# ------------------------------------------------------------------ variations

_NUM = re.compile(r"^\d+\.\d\d$")
FULLWIDTH = str.maketrans("0123456789.%", "０１２３４５６７８９．％")


def vary_rows(kind: str, rows: list[list[str]]) -> list[R]:
    """The official table with what real files do to it; the meaning stays the same."""
    out: list[R] = []
    n = 0
    for row in rows:
        row = list(row)
        n += 1
        label = row[0]
        if kind == "basic" and label in ("2、出国经费", "3、公务接待", "部门基本支出预算调整") and not any(row[1:]):
            continue  # a unit that leaves out rows it has nothing to report in
        if kind == "basic" and label.startswith("经费控制情况"):
            row = ["经费控制情况（万元）", "上年决算数", "本年预算数", "本年决算数"]  # the aliases, not the years
        elif kind == "basic" and label.startswith("财政供养"):
            row = ["财政供养人员情况", "编制数", "本年实际在职人数", "在职人员控制率"]
        elif kind == "basic" and len(row) == 4:
            row = [_vary_basic_label(label)] + [_vary_amount(t, n) for t in row[1:]]
            if label == "":
                row[1] = row[1] + "人" if row[1] else row[1]
        if kind == "overall" and len(row) == 8 and row[1] == "年度资金总额":
            row[2] = row[2] + "万元" if row[2] else row[2]
            row[3] = _commas(row[3])
            row[4] = f"[field: {row[4]}]" if row[4] else row[4]
        if len(row) == 9 and row[3] and row[6] and n % 3 == 0:
            row[3] = "[bookmark: 指标" + str(n) + "]" + row[3]
        cells = [C(t, s) for t, s in zip(row, _spans(kind, row), strict=True)]
        r = R(cells, sdt=(n == 6))
        if n == 9 and len(cells) > 2:
            cells[2].sdt = True
        out.append(r)
        if kind == "basic" and label.startswith(("3、区级专项资金", "4、上级转移支付")):
            out.append(R([C("……"), C("", 2), C("", 2), C("", 2)]))
        if kind == "basic" and label == "渣土运输费用":
            out.append(R([C("......"), C("", 2), C("", 2), C("", 2)]))
            out.append(R([C(""), C("", 2), C("", 2), C("", 2)], stray=True))
        if kind == "basic" and label == "公车运行维护":
            out.append(R([C(""), C("", 2), C("", 2), C("", 2)], stray=True))
        if kind == "overall" and len(row) == 9 and row[2].startswith("质量指标"):
            out.append(R([C("") for _ in range(9)], stray=False))
    return _merge(out, kind)


def _vary_basic_label(label: str) -> str:
    return {
        "三公经费": "三公⏎经费",
        "1、业务工作经费": "1.业务工作经费",
        "其中：公车购置": "其中:公车购置",
        "政府采购金额": "政府采购\n金额",
        "公用经费": "公 用 经 费",
        "2、运行维护经费": "2、运行[del: 维修]维护[ins: 经费]",
    }.get(label, label)


def _commas(text: str) -> str:
    if not _NUM.match(text) or len(text) <= 6:
        return text
    whole, frac = text.split(".")
    return f"{int(whole):,}.{frac}"


def _vary_amount(text: str, n: int) -> str:
    if not text:
        return text
    if text.endswith("%"):
        return text.translate(FULLWIDTH)
    if _NUM.match(text) and len(text) > 6:
        return _commas(text) if n % 2 else f"[fldsimple: {_commas(text)}]"
    if _NUM.match(text) and n % 4 == 0:
        return text + "万元"
    if _NUM.match(text) and n % 5 == 1:
        return text.translate(FULLWIDTH)
    return text


# ------------------------------------------------------------------ assembly


def build(blocks: list[tuple], layout: str = "official") -> bytes:
    items: list = []
    opts = Options(split_runs=2 if layout == "variations" else 0)
    for block in blocks:
        if block[0] == "p":
            text = block[1]
            if layout == "variations" and text.strip().startswith("附件"):
                text = "[pagebreak]" + text + "[textbox: 草稿，勿用]"
            items.append(text)
            continue
        _, kind, rows = block
        if layout == "official":
            items.append(official_table(kind, rows))
        elif layout == "alt":
            items.extend(alt_items(kind, rows))
        else:
            items.append(T(vary_rows(kind, rows), 7 if kind == "basic" else 9))
    return docx_bytes(document_xml(items, opts))


def example_docx(pkg, layout: str = "official") -> bytes:
    """A package as a Word file in one of the layouts."""
    return build(package_blocks(pkg), layout)
