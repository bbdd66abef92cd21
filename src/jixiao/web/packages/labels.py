"""Human names of document paths, from the form definition: what the history's diff shows
('基础数据表 · 三公经费 · 2023年决算数' rather than 'basic.sangong.final')."""

from __future__ import annotations

from typing import Any

from jixiao.forms import load_form

from .checking import value_at

_INDICATOR = {"name": "三级指标", "target": "年度指标值", "actual": "实际完成值", "weight": "分值",
              "self_score": "自评得分", "deviation_reason": "偏差原因分析及改进措施"}
_TEXT = {"unit_name": "预算单位名称", "frugality_measures": "厉行节约保障措施", "note": "说明", "title": "标题",
         "project_name": "项目支出名称", "department": "主管部门", "implementing_unit": "实施单位",
         "total_weight": "总分 · 分值", "total_self_score": "总分 · 自评得分", "fiscal_year": "年度",
         "schema_version": "格式版本"}


_PARTS = {"basic": "基础数据表", "overall": "整体支出绩效自评表", "projects": "项目支出绩效自评表", "report": "自评报告"}


def _signature(form: dict[str, Any]) -> dict[str, str]:
    return {s["field"]: s["label"] for s in form["captions"]["signature"]}


def _by_field(rows: list[dict[str, Any]], year: int) -> dict[str, str]:
    return {r["field"]: r["label"].format(year=year, prev_year=year - 1) for r in rows}


def describe(path: str, doc: dict[str, Any], form_name: str) -> str:
    form = load_form(form_name)
    year = int(value_at(doc, "fiscal_year") or 0)
    parts = path.split(".")
    head = parts[0]
    if head == "basic":
        return " · ".join(["基础数据表", *_basic(parts[1:], doc, form, year)])
    if head == "overall":
        return " · ".join(["整体支出绩效自评表", *_evaluation(parts[1:], "overall", doc, form)])
    if head == "projects" and len(parts) == 1:
        return "项目支出绩效自评表"
    if head == "projects" and len(parts) > 1 and parts[1].isdigit():
        name = str(value_at(doc, f"projects.{parts[1]}.project_name") or "").strip()
        name = name if name.strip("/ ") else f"第{int(parts[1]) + 1}张"
        return " · ".join([f"项目支出绩效自评表（{name}）", *_evaluation(parts[2:], f"projects.{parts[1]}", doc, form)])
    if head == "report":
        if len(parts) == 1:
            return "自评报告"
        if len(parts) == 2 and parts[1] == "sections":
            return "自评报告 · 各节"
        if len(parts) == 3 and parts[1] == "sections" and parts[2].isdigit():
            number = value_at(doc, f"report.sections.{parts[2]}.number") or int(parts[2]) + 1
            return f"自评报告 · 第{number}节"
        if len(parts) >= 4 and parts[1] == "sections":
            number = value_at(doc, f"report.sections.{parts[2]}.number") or int(parts[2]) + 1
            what = {"heading": "标题", "body": "正文", "number": "编号"}.get(parts[3], parts[3])
            return f"自评报告 · 第{number}节 · {what}"
        return "自评报告 · " + _TEXT.get(parts[-1], parts[-1])
    return _TEXT.get(path, _PARTS.get(path, path))


def _basic(rest: list[str], doc: dict[str, Any], form: dict[str, Any], year: int) -> list[str]:
    spec = form["basic"]
    rows = _by_field(spec["amount_rows"], year)
    cols = _by_field(spec["amount_columns"], year)
    if not rest:
        return []
    field = rest[0]
    if field in rows:
        return [rows[field], *[cols.get(c, c) for c in rest[1:]]]
    if field == "staffing":
        return ["财政供养人员情况", *[_by_field(spec["staffing_columns"], year).get(c, c) for c in rest[1:]]]
    if field == "buildings" and len(rest) > 1:
        row = f"楼堂馆所第{int(rest[1]) + 1}行"
        bcols = _by_field(spec["building_columns"], year) | {"name": "项目名称"}
        return [row, *[bcols.get(c, c) for c in rest[2:]]]
    if field == "signature":
        return ["签字栏", *[_signature(form).get(c, c) for c in rest[1:]]]
    for r in spec["amount_rows"]:
        if r.get("items") == field and len(rest) > 1:
            item = value_at(doc, f"basic.{field}.{rest[1]}.name") or f"第{int(rest[1]) + 1}项"
            col = rest[2] if len(rest) > 2 else ""
            return [r["label"], item, cols.get(col, "名称" if col == "name" else col)]
    return [_TEXT.get(field, field)]


def _evaluation(rest: list[str], prefix: str, doc: dict[str, Any], form: dict[str, Any]) -> list[str]:
    ev = form["evaluation"]
    if not rest:
        return []
    field = rest[0]
    funds_cols = _by_field(ev["funds_columns"], 0)
    if field == "funds":
        return [ev["funds_total"]["label"], *[funds_cols.get(c, c) for c in rest[1:]]]
    fund_rows = _by_field(ev.get("project_fund_rows", []), 0)
    if field in fund_rows:
        return [fund_rows[field], *[funds_cols.get(c, c) for c in rest[1:]]]
    if field in ("income", "spending"):
        rows = _by_field(ev[f"{field}_rows"], 0)
        return ["按收入性质分" if field == "income" else "按支出性质分", *[rows.get(c, c) for c in rest[1:]]]
    if field == "goals":
        return ["年度总体目标", *[{"expected": "预期目标", "actual": "实际完成情况"}.get(c, c) for c in rest[1:]]]
    if field == "signature":
        return ["签字栏", *[_signature(form).get(c, c) for c in rest[1:]]]
    if field == "indicators" and len(rest) > 1:
        l1 = value_at(doc, f"{prefix}.indicators.{rest[1]}.label") or f"第{int(rest[1]) + 1}个一级指标"
        out = [str(l1).replace("\n", "")]
        if len(rest) > 3 and rest[2] == "children":
            l2 = value_at(doc, f"{prefix}.indicators.{rest[1]}.children.{rest[3]}.label") or "二级指标"
            out.append(str(l2).replace("\n", ""))
            if len(rest) > 5 and rest[4] == "indicators":
                name = value_at(doc, f"{prefix}.indicators.{rest[1]}.children.{rest[3]}.indicators.{rest[5]}.name")
                out.append(str(name or f"第{int(rest[5]) + 1}个三级指标").replace("\n", ""))
                if len(rest) > 6:
                    out.append(_INDICATOR.get(rest[6], rest[6]))
            elif len(rest) > 4:
                out.append("二级指标名称" if rest[4] == "label" else rest[4])
        elif len(rest) > 2:
            out.append("一级指标名称" if rest[2] == "label" else rest[2])
        return out
    return [_TEXT.get(field, field)]
