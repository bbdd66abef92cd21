"""This year's draft from last year's package, where the forms overlap, so nothing is typed twice.

What carries over (everything else starts blank, as in a new package):
- 基础数据表: each amount row's 上年决算数 is last year's 本年决算数, the named rows of the
  "一个专项一行" lists keep their names; staffing's 编制数 (rarely changes) is kept too.
- 整体 and 项目支出绩效自评表: the indicator tree (一级/二级 labels, 三级 names, 年度指标值 with its
  指标性质 and 度量单位 on forms that print them, and 分值); 实际完成值, 自评得分 and 偏差原因 are this year's to fill. Project tables keep their
  name, 主管部门 and 实施单位.
- 自评报告: section 一 (单位基本情况: 职能职责, 机构设置), which describes the unit, not the year.

No Django here: a dict in, a dict out (both the stored JSON form of jixiao.model.Package).
"""

from __future__ import annotations

import copy
from typing import Any

from jixiao.forms import basic_rows

# The amount rows and "一个专项一行" lists come from the form definition, not a list of our own.
AMOUNT_ROWS = tuple(r["field"] for r in basic_rows())
ITEM_LISTS = tuple(r["items"] for r in basic_rows() if "items" in r)


def _prev(row: dict[str, Any] | None) -> dict[str, Any]:
    final = (row or {}).get("final")
    return {"prev_final": final, "budget": None, "final": None}


def _indicators(levels: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    out = []
    for l1 in levels or []:
        children = []
        for l2 in l1.get("children") or []:
            inds = [
                {"name": ind.get("name"), "target": copy.deepcopy(ind.get("target") or {}), "weight": ind.get("weight"),
                 # forms that print the target in three columns: 指标性质 and 度量单位 belong to it
                 **{k: ind[k] for k in ("nature", "unit") if ind.get(k)}}
                for ind in l2.get("indicators") or []
            ]
            children.append({"label": l2.get("label", ""), "indicators": inds or [{}]})
        out.append({"label": l1.get("label", ""), "children": children})
    return out


def same_form(last: dict[str, Any], fresh: dict[str, Any]) -> bool:
    """Whether last year's document is on this year's form (only then does anything carry over)."""
    return (last.get("form") or None) == (fresh.get("form") or None)


def carry_over(last: dict[str, Any], fresh: dict[str, Any]) -> dict[str, Any]:
    """``fresh``: the new, empty document of this year (its titles, skeleton and weights).
    Last year's package on another form carries nothing: its rows and columns are not this
    form's. Parts this year's form does not have stay absent."""
    doc = copy.deepcopy(fresh)
    if not same_form(last, fresh):
        return doc
    if fresh.get("basic") is not None:
        _carry_basic(last, doc)
    overall_last = last.get("overall") or {}
    if overall_last.get("indicators") and fresh.get("overall") is not None:
        doc["overall"]["indicators"] = _indicators(overall_last["indicators"])
    template = (fresh.get("overall") or (fresh.get("projects") or [{}])[0] or {})
    weight = (template.get("funds") or {}).get("weight")
    doc["projects"] = [
        {
            "project_name": p.get("project_name"), "department": p.get("department"),
            "implementing_unit": p.get("implementing_unit"), "funds": {"weight": weight},
            "indicators": _indicators(p.get("indicators")),
        }
        for p in last.get("projects") or []
    ] or doc.get("projects") or []
    last_sections = {s.get("number"): s for s in (last.get("report") or {}).get("sections") or []}
    for section in (doc.get("report") or {}).get("sections") or []:
        if section.get("number") == 1 and (last_sections.get(1) or {}).get("body"):
            section["body"] = last_sections[1]["body"]
    return doc


def _carry_basic(last: dict[str, Any], doc: dict[str, Any]) -> None:
    basic_last = last.get("basic") or {}
    basic = doc["basic"]
    for field in AMOUNT_ROWS:
        if field in basic_last:
            basic[field] = _prev(basic_last.get(field))
    for field in ITEM_LISTS:
        basic[field] = [{"name": it.get("name") or "", **_prev(it)} for it in basic_last.get(field) or []]
    est = (basic_last.get("staffing") or {}).get("establishment")
    if est is not None:
        basic.setdefault("staffing", {})["establishment"] = est
