"""Test fixtures: the same package laid out the many ways units lay it out, drawn at random.

``vary(blocks, rnd)`` takes the official blocks of a package (iofix_seed.package_blocks) and
returns blocks with what other units' files do, none of which changes a value:

- header rows split over two rows ('年度' / '指标值', '实际' / '完成值', '2022年' / '决算数',
  '2023年' / '实际在职人数'), the other header cells merged down the band;
- headers repeated further down, as on a continuation page, or the table cut in two there;
- empty columns at the right; labels written another way (quotes, numbering, units in
  parentheses, 其中 without its colon, the family of names a row goes by);
- amounts as '￥11.48', '11.48（万元）', '11.48万元', full width, '1,146.79'; blank cells as
  '—'; rates as fractions (0.9333); income and spending written '其中：财政拨款：1385.51万元',
  '一般公共预算（1385.51）'.

With ``inject=True`` it also adds content no form row or column holds (an extra 备注 column
with a text, an unknown row); the texts come back in the second list: each must be named by
an import finding. ``word`` and ``excel`` draw the blocks as plain files: every cell its own
grid column, '<<' merges a cell into the one on its left, '^^' into the one above.
"""

from __future__ import annotations

import io
import random
import re
from decimal import Decimal

from iofix_docx import C, R, T, document_xml, docx_bytes

_NUM = re.compile(r"^-?\d+\.\d+$")
_PCT = re.compile(r"^(-?\d+(?:\.\d+)?)%$")
FULLWIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")

LABELS = {
    "三公经费": ['"三公"经费', "“三公”经费", "三公经费（万元）", "一、三公经费", "三公经费合计"],
    "1、公务用车购置和维护经费": ["(一)公务用车购置和维护经费", "1.公务用车购置和维护经费", "①公务用车购置和维护经费",
                       "公务用车购置及运行维护费"],
    "其中：公车购置": ["其中公车购置", "其中:公车购置", "公务用车购置费"],
    "公车运行维护": ["公务用车运行维护费", "公车运行维护费", "2)公车运行维护"],
    "2、出国经费": ["2.因公出国（境）费", "(二)出国经费"],
    "3、公务接待": ["3、公务接待费", "公务接待费（万元）"],
    "项目支出：": ["项目支出", "二、项目支出", "项目支出合计"],
    "1、业务工作经费": ["（1）业务工作经费", "业务工作经费（万元）"],
    "2、运行维护经费": ["2.运行维护经费", "运行维护费"],
    "公用经费": ["日常公用经费", "公用经费（万元）", "三、公用经费"],
    "其中：办公经费": ["其中：办公费", "其中办公经费"],
    "水费、电费、差旅费": ["水电费、差旅费", "水费电费差旅费", "水费、电费及差旅费"],
    "会议费、培训费": ["会议费和培训费", "会议费、培训费（万元）"],
    "政府采购金额": ["政府采购", "政府采购金额（万元）"],
    "部门基本支出预算调整": ["部门基本支出预算调整（万元）"],
}
INCOME = {
    "一般公共预算": ["其中：一般公共预算拨款：{v}万元", "其中：财政拨款：{v}", "一般公共预算（{v}）", "其中：一般公共预算：{v}"],
    "基本支出": ["基本支出：{v}万元", "基本支出（{v}）", "其中：基本支出：{v}"],
    "项目支出": ["项目支出：{v}万元", "项目支出（{v}）"],
}


def _amount(text: str, rnd: random.Random) -> str:
    if text == "":
        return rnd.choice(["", "", "—", "－", "--"])
    if not _NUM.match(text):
        return text
    whole, frac = text.split(".")
    commas = f"{int(whole):,}.{frac}" if not whole.startswith("-") else text
    return rnd.choice([text, text, f"￥{text}", f"¥{text}", f"{text}（万元）", f"{text}万元", f"{text} 万元",
                       text.translate(FULLWIDTH), commas])


def _rate(text: str, rnd: random.Random) -> str:
    m = _PCT.match(text)
    if not m or rnd.random() < 0.5:
        return text
    value = Decimal(m.group(1))
    if not (0 < value <= 150):
        return text
    return f"{value / 100:f}"


def _split_header(rows: list[list[str]], i: int, splits: dict[int, tuple[str, str]]) -> None:
    """Row i becomes two rows: split cells get their halves, the others are merged down."""
    top, bottom = [], []
    for k, text in enumerate(rows[i]):
        if k in splits:
            top.append(splits[k][0])
            bottom.append(splits[k][1])
        else:
            top.append(text)
            bottom.append("^^")
    rows[i : i + 1] = [top, bottom]


def _vary_basic(rows: list[list[str]], rnd: random.Random, year: int, inject: list[str] | None) -> list[list[str]]:
    out = [list(r) for r in rows]
    amounts = False
    extra_col = inject is not None and rnd.random() < 0.5
    for r in out:
        if r[0].startswith("经费控制情况"):
            amounts = True
            if extra_col:
                r.append("备注")
            continue
        if r[0].startswith("楼堂馆所"):
            amounts = False
        if amounts and len(r) == 4:
            r[0] = rnd.choice([r[0], *LABELS.get(r[0], [])]) if rnd.random() < 0.6 else r[0]
            r[1:] = [_amount(t, rnd) for t in r[1:]]
            if extra_col:
                r.append("")
        elif len(r) == 7 and not r[0].startswith("楼堂馆所"):
            r[3], r[6] = _rate(r[3], rnd), _rate(r[6], rnd)
    if extra_col:
        note = f"备注文字{rnd.randint(100, 999)}"
        candidates = [r for r in out if len(r) == 5 and r[0] and not r[0].startswith("经费控制情况")]
        rnd.choice(candidates)[-1] = note
        inject.extend([note, "备注"])  # the unknown column's header is named too
    if inject is not None and rnd.random() < 0.5:
        at = next(i for i, r in enumerate(out) if r[0].startswith("政府采购"))  # not under an open 专项 list
        label = f"临时测算栏{rnd.randint(100, 999)}"
        out.insert(at, [label, "1.00", "2.00", "3.00"] + ([""] if extra_col else []))
        inject.append(label)
    for i, r in enumerate(out):  # staffing: the rate as a fraction sometimes
        if i > 0 and out[i - 1][0].startswith("财政供养") and len(r) == 4:
            r[3] = _rate(r[3], rnd)
    if rnd.random() < 0.6:
        i = next(i for i, r in enumerate(out) if r[0].startswith("经费控制情况"))
        header = out[i]
        if rnd.random() < 0.5:
            splits = {1: (f"{year - 1}年", "决算数"), 2: (f"{year}年", "预算数"), 3: (f"{year}年", "决算数")}
        else:
            splits = {1: (f"{year - 1}年", "决算数"), 2: (f"{year}年", "预算数"), 3: ("<<", "决算数")}
        _split_header(out, i, {k: v for k, v in splits.items() if k < len(header)})
    if rnd.random() < 0.4:
        i = next(i for i, r in enumerate(out) if r[0].startswith("财政供养"))
        _split_header(out, i, {2: (f"{year}年", "实际在职人数")})
    if rnd.random() < 0.3:  # a continuation page: the amounts header again before 公用经费
        i = next(i for i, r in enumerate(out) if r[0].startswith("经费控制情况"))
        band = [list(out[i])] + ([list(out[i + 1])] if out[i + 1][1:2] == ["决算数"] else [])
        at = next(k for k, r in enumerate(out) if k > i and len(r) >= 4 and "公用经费" in r[0] and "其中" not in r[0])
        out[at:at] = band
    return out


def _repeat_captions(rows: list[list[str]]) -> list[list[str]]:
    """The section caption (年度预算申请（万元）, 年度总体目标, 绩效指标) written on every row of its band
    instead of merged down it, as some units' tables do."""
    caption = ""
    for r in rows:
        if len(r) < 3 or r[0].startswith("总分"):
            caption = ""
            continue
        if r[0] not in ("", "^^"):
            caption = " ".join(r[0].split())
        elif r[0] == "" and caption:
            r[0] = caption
    return rows


def _vary_evaluation(rows: list[list[str]], rnd: random.Random) -> list[list[str]]:
    out = [list(r) for r in rows]
    for r in out:
        if len(r) == 8 and r[1] and r[2:5] != ["年初预算数", "全年预算数", "全年执行数"]:
            r[2:5] = [_amount(t, rnd) for t in r[2:5]]
            r[6] = _rate(r[6], rnd)
        if len(r) == 3 and r[0] == "":
            for k in (1, 2):
                m = re.match(r"^(?:其中：\s*)?(一般公共预算|基本支出|项目支出)：(\d+\.\d+)$", r[k])
                if m and rnd.random() < 0.7:
                    r[k] = rnd.choice(INCOME[m.group(1)]).format(v=m.group(2))
    if rnd.random() < 0.3:
        _repeat_captions(out)
    head = next((i for i, r in enumerate(out) if len(r) == 9 and r[1] == "一级指标"), None)
    if head is None:
        return out
    band = 1
    if rnd.random() < 0.6:
        _split_header(out, head, {4: ("年度", "指标值"), 5: ("实际", "完成值")})
        band = 2
    body = [k for k in range(head + band, len(out)) if len(out[k]) == 9 and out[k][3]]
    if len(body) > 3 and rnd.random() < 0.4:  # the header again on the next page
        at = body[len(body) // 2]
        repeated = [list(x) for x in out[head : head + band]]
        repeated[0][0] = ""
        if at > 0:  # labels merged into the page above start again under the repeated header
            for col in (1, 2):
                if out[at][col] == "":
                    out[at][col] = next(out[k][col] for k in range(at - 1, head, -1) if out[k][col] not in ("", "^^"))
        out[at:at] = repeated
    return out


def vary(blocks: list[tuple], rnd: random.Random, *, inject: bool = False) -> tuple[list[tuple], list[str]]:
    injected: list[str] | None = [] if inject else None
    year = next((int(m.group(1)) for b in blocks if b[0] == "p" for m in [re.search(r"(20\d\d)年", b[1])] if m), 2023)
    out: list[tuple] = []
    for block in blocks:
        if block[0] != "t":
            out.append(block)
            continue
        _, kind, rows = block
        rows = _vary_basic(rows, rnd, year, injected) if kind == "basic" else _vary_evaluation(rows, rnd)
        if rnd.random() < 0.3:
            rows = [r + [""] for r in rows]  # an empty column at the right
        out.append(("t", kind, rows))
    return out, injected or []


# ------------------------------------------------------------------ plain files


def _word_table(rows: list[list[str]]) -> T:
    width = max(len(r) for r in rows)
    built: list[R] = []
    for n, row in enumerate(rows):
        cells: list[C] = []
        for k, text in enumerate(row):
            if text == "<<" and cells:
                cells[-1].span += 1
                continue
            cell = C("" if text in ("^^", "<<") else text)
            if text == "^^" and n > 0:
                above = _cell_at(built[-1], k)
                if above is not None:
                    cell.vmerge = "continue"
                    cell.span = above.span
                    if above.vmerge is None:
                        above.vmerge = "restart"
            cells.append(cell)
        covered = sum(c.span for c in cells)
        built.append(R(cells, after=max(0, width - covered)))
    return T(built, width)


def _cell_at(row: R, col: int) -> C | None:
    at = row.before
    for cell in row.cells:
        if at == col:
            return cell
        at += cell.span
    return None


def word(blocks: list[tuple], *, cut: bool = False) -> bytes:
    """A Word file; ``cut`` puts each repeated header and what follows it into a table of its own."""
    items: list = []
    for block in blocks:
        if block[0] == "p":
            items.append(block[1])
            continue
        rows = block[2]
        if cut:
            for part in _cut(rows):
                items.extend([_word_table(part), "[pagebreak]"])
            items.pop()
        else:
            items.append(_word_table(rows))
    return docx_bytes(document_xml(items))


def _cut(rows: list[list[str]]) -> list[list[list[str]]]:
    """The rows cut before each repeated header (the table continued on the next page)."""
    parts: list[list[list[str]]] = [[]]
    seen: set[str] = set()
    for row in rows:
        is_head = "一级指标" in row or row[0].startswith("经费控制情况")
        key = "|".join(row[1:])
        if is_head and key in seen and parts[-1]:
            parts.append([])
        if is_head:
            seen.add(key)
        parts[-1].append(row)
    return [p for p in parts if p]


def excel(blocks: list[tuple]) -> bytes:
    """A workbook: one sheet per table, titles above it, the report as a sheet of lines."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    names = {"basic": "基础数据表", "overall": "整体表", "project": "项目表"}
    title: list[str] = []
    report = None
    ws, r = None, 0
    for block in blocks:
        if block[0] == "t":
            ws = wb.create_sheet(names[block[1]] + str(len(wb.sheetnames)))
            r = 0
            for line in title:
                r += 1
                ws.cell(row=r, column=1, value=line)
            title = []
            top = r + 1
            for n, row in enumerate(block[2]):
                for k, text in enumerate(row):
                    cell_row, col = top + n, k + 1
                    if text == "<<":
                        left = k
                        while left > 0 and block[2][n][left - 1] == "<<":
                            left -= 1
                        ws.merge_cells(start_row=cell_row, start_column=left, end_row=cell_row, end_column=col)
                    elif text == "^^":
                        up = n
                        while up > 0 and block[2][up - 1][k] == "^^":
                            up -= 1
                        ws.merge_cells(start_row=top + up - 1, start_column=col, end_row=cell_row, end_column=col)
                    elif text:
                        _put(ws.cell(row=cell_row, column=col), text)
            r = top + len(block[2]) - 1
        elif report is not None:
            report.append([block[1]])
        elif "自评报告" in block[1] and len(block[1]) < 80:
            report = wb.create_sheet("自评报告")
            report.append([block[1]])
        elif not block[1].strip() or block[1].strip().startswith("附件"):
            continue
        elif ws is None or ("年度" in block[1] and block[1].strip().endswith("表")):
            title.append(block[1])
        else:  # a note or the signature line under the table
            r += 1
            ws.cell(row=r, column=1, value=block[1])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _put(cell, text: str) -> None:
    """Plain numbers as numbers showing their places, rates as percent cells, the rest as text."""
    if re.fullmatch(r"-?\d+(\.\d+)?", text):
        cell.value = int(text) if "." not in text else float(text)
        if "." in text:
            cell.number_format = "0." + "0" * len(text.split(".")[1])
    elif (m := _PCT.match(text)) and "." in m.group(1):
        cell.value = float(Decimal(m.group(1)) / 100)
        cell.number_format = "0." + "0" * len(m.group(1).split(".")[1]) + "%"
    else:
        cell.value = text
