"""Human names of document paths, from the form definition: what the history's diff shows
('基础数据表 · 三公经费 · 2023年决算数' rather than 'basic.sangong.final')."""

from __future__ import annotations

from typing import Any

from jixiao.forms import (
    building_row,
    caption_name,
    column_labels,
    load_form,
    part_names,
    rate_spec,
    signature_labels,
)

from .checking import value_at


def _text(form: dict[str, Any]) -> dict[str, str]:
    """The names of the document's text and total fields."""
    ev = column_labels("indicator", form)
    captions = form["captions"]
    total = caption_name("evaluation", "total", form)
    # Forms of the other steps of the cycle have no 分值 or 自评得分 columns (a targets table's 权重 is optional).
    names = {f"total_{key}": f"{total} · {ev[key]}" for key in ("weight", "self_score") if key in ev}
    names |= {field: caption_name("basic", key, form)
              for field, key in (("frugality_measures", "frugality"), ("note", "note"))
              if key in captions.get("basic", {})}
    names |= {key: caption_name("evaluation", key, form)
              for key in ("unit_name", "project_name", "department", "implementing_unit")
              if key in captions["evaluation"]}
    # The free-text rows a form prints (项目实施内容, 评价结论 …), by their printed label.
    names |= {row["field"]: row["label"] for row in form["evaluation"].get("text_rows", [])}
    return names | {"title": "标题", "fiscal_year": "年度", "schema_version": "格式版本", "form": "表式"}


def _parts(form: dict[str, Any]) -> dict[str, str]:
    return {"projects" if key == "project" else key: name for key, name in part_names(form).items()}


def _by_field(rows: list[dict[str, Any]], year: int) -> dict[str, str]:
    return {r["field"]: r["label"].format(year=year, prev_year=year - 1) for r in rows}


def describe(path: str, doc: dict[str, Any], form_name: str) -> str:
    form = load_form(form_name)
    year = int(value_at(doc, "fiscal_year") or 0)
    parts = path.split(".")
    head = parts[0]
    names = _parts(form)
    text = _text(form)
    if head in ("basic", "overall", "report") and head not in names:  # a part the form does not have
        return path
    if head == "basic":
        return " · ".join([names["basic"], *_basic(parts[1:], doc, form, year)])
    if head == "overall":
        return " · ".join([names["overall"], *_evaluation(parts[1:], "overall", doc, form)])
    if head == "projects" and len(parts) == 1:
        return names["projects"]
    if head == "projects" and len(parts) > 1 and parts[1].isdigit():
        name = str(value_at(doc, f"projects.{parts[1]}.project_name") or "").strip()
        name = name if name.strip("/ ") else f"第{int(parts[1]) + 1}张"
        return " · ".join([f"{names['projects']}（{name}）", *_evaluation(parts[2:], f"projects.{parts[1]}", doc, form)])
    if head == "report":
        report = names["report"]
        if len(parts) == 1:
            return report
        if len(parts) == 2 and parts[1] == "sections":
            return f"{report} · 各节"
        if len(parts) == 3 and parts[1] == "sections" and parts[2].isdigit():
            number = value_at(doc, f"report.sections.{parts[2]}.number") or int(parts[2]) + 1
            return f"{report} · 第{number}节"
        if len(parts) >= 4 and parts[1] == "sections":
            number = value_at(doc, f"report.sections.{parts[2]}.number") or int(parts[2]) + 1
            what = {"heading": "标题", "body": "正文", "number": "编号"}.get(parts[3], parts[3])
            return f"{report} · 第{number}节 · {what}"
        return f"{report} · " + text.get(parts[-1], parts[-1])
    return text.get(path, names.get(path, path))


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
        staffing = rate_spec("staffing.control_rate", form)["row"]
        return [staffing, *[_by_field(spec["staffing_columns"], year).get(c, c) for c in rest[1:]]]
    if field == "buildings" and len(rest) > 1:
        row = building_row(int(rest[1]) + 1, form)
        bcols = _by_field(spec["building_columns"], year) | {"name": "项目名称"}
        return [row, *[bcols.get(c, c) for c in rest[2:]]]
    if field == "signature":
        return ["签字栏", *[signature_labels(form).get(c, c) for c in rest[1:]]]
    for r in spec["amount_rows"]:
        if r.get("items") == field and len(rest) > 1:
            item = value_at(doc, f"basic.{field}.{rest[1]}.name") or f"第{int(rest[1]) + 1}项"
            col = rest[2] if len(rest) > 2 else ""
            return [r["label"], item, cols.get(col, "名称" if col == "name" else col)]
    return [_text(form).get(field, field)]


def _evaluation(rest: list[str], prefix: str, doc: dict[str, Any], form: dict[str, Any]) -> list[str]:
    ev = form["evaluation"]
    if not rest:
        return []
    field = rest[0]
    funds_cols = _by_field(ev["funds_columns"], 0)
    if field == "funds":
        return [ev["funds_total"]["label"], *[funds_cols.get(c, c) for c in rest[1:]]]
    fund_rows = _by_field(ev.get("overall_fund_rows", []) if prefix == "overall" else [], 0)
    fund_rows = fund_rows or _by_field(ev.get("project_fund_rows", []), 0)
    if field in fund_rows:
        return [fund_rows[field], *[funds_cols.get(c, c) for c in rest[1:]]]
    if field in ("income", "spending"):
        rows = _by_field(ev.get(f"{field}_rows", []), 0)
        return [caption_name("evaluation", field, form), *[rows.get(c, c) for c in rest[1:]]]
    if field == "goals":
        goals = {c: caption_name("evaluation", f"goals_{c}", form) for c in ("expected", "actual")}
        return [caption_name("evaluation", "goals", form), *[goals.get(c, c) for c in rest[1:]]]
    if field == "signature":
        return ["签字栏", *[signature_labels(form).get(c, c) for c in rest[1:]]]
    if field == "indicators" and len(rest) > 1:
        col = column_labels("indicator", form)
        l1 = value_at(doc, f"{prefix}.indicators.{rest[1]}.label") or f"第{int(rest[1]) + 1}个{col['level1']}"
        out = [str(l1).replace("\n", "")]
        if len(rest) > 3 and rest[2] == "children":
            l2 = value_at(doc, f"{prefix}.indicators.{rest[1]}.children.{rest[3]}.label") or col["level2"]
            out.append(str(l2).replace("\n", ""))
            if len(rest) > 5 and rest[4] == "indicators":
                name = value_at(doc, f"{prefix}.indicators.{rest[1]}.children.{rest[3]}.indicators.{rest[5]}.name")
                out.append(str(name or f"第{int(rest[5]) + 1}个{col['name']}").replace("\n", ""))
                if len(rest) > 6:
                    out.append(col.get(rest[6], rest[6]))
            elif len(rest) > 4:
                out.append(f"{col['level2']}名称" if rest[4] == "label" else rest[4])
        elif len(rest) > 2:
            out.append(f"{col['level1']}名称" if rest[2] == "label" else rest[2])
        return out
    return [_text(form).get(field, field)]
