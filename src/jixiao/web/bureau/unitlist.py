"""The list of units of a campaign from an Excel sheet (.xlsx): a header row naming the
columns 单位名称 (required) and 单位编码 (optional), or, without one, names in column A.
The upload is opened through jixiao.io.safe (zip structure, sizes, no macros) first."""

from __future__ import annotations

import io

from jixiao.forms import caption_name
from jixiao.io import InputError

NAME_HEADERS = ("单位名称", caption_name("basic", "unit_name"), "单位", "名称")  # the form's caption among them
CODE_HEADERS = ("单位编码", "预算单位编码", "编码", "单位代码", "代码")
MAX_UNITS = 50_000


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def units_from_xlsx(data: bytes, name: str) -> list[tuple[str, str]]:
    from openpyxl import load_workbook

    from jixiao.io import open_ooxml

    open_ooxml(data, name, "xlsx")
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise InputError(f"{name} 无法作为 Excel 工作簿打开") from exc
    try:
        rows = [[_text(v) for v in row] for row in wb.worksheets[0].iter_rows(values_only=True)]
    finally:
        wb.close()
    rows = [r for r in rows if any(r)]
    if not rows:
        raise InputError(f"{name} 的第一个工作表是空的")
    name_col, code_col, start = 0, None, 0
    for i, row in enumerate(rows[:10]):
        found = next((j for j, v in enumerate(row) if v.replace(" ", "") in NAME_HEADERS), None)
        if found is not None:
            name_col, start = found, i + 1
            code_col = next((j for j, v in enumerate(row) if v.replace(" ", "") in CODE_HEADERS), None)
            break
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for row in rows[start:]:
        unit = row[name_col] if name_col < len(row) else ""
        if not unit or unit in seen or unit.startswith(("合计", "总计", "说明")):
            continue
        seen.add(unit)
        code = row[code_col] if code_col is not None and code_col < len(row) else ""
        out.append((unit[:200], code[:50]))
    if not out:
        raise InputError(f"{name} 中没有找到单位名称（请在表头写“单位名称”，或把单位名称放在A列）")
    if len(out) > MAX_UNITS:
        raise InputError(f"{name} 列出了{len(out)}个单位，超过上限{MAX_UNITS}个")
    return out
