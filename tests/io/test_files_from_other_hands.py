"""Files the fixtures did not write: re-saved by LibreOffice, and typed through python-docx's own
table API in a layout of their own (merges made by python-docx, headers over two rows, the
income split in one cell per line, extra empty columns). Each reads to the same package.
"""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from docx import Document

from jixiao.io import import_package
from jixiao.io.docx_reader import import_docx_bytes
from jixiao.render import render_package


@pytest.mark.office
def test_files_resaved_by_libreoffice_read_the_same(seed_pkg, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (soffice) is not installed: run `make system-deps`"
    ours = tmp_path / "ours"
    render_package(seed_pkg, ours, formats=("docx", "xlsx"))
    files = sorted(p for p in ours.iterdir() if p.suffix in (".docx", ".xlsx") and ("全套" in p.name or p.suffix == ".xlsx"))
    assert len(files) == 2
    out = tmp_path / "resaved"
    for suffix in ("docx", "xlsx"):
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--norestore",
             "--convert-to", suffix, "--outdir", str(out), *[str(p) for p in files if p.suffix == f".{suffix}"]],
            check=True, capture_output=True, timeout=180,
        )
    for original in files:
        resaved = import_package(out / original.name)
        assert resaved.package == import_package(original).package, [i.describe() for i in resaved.issues]
        assert resaved.issues == []


def _merge_down(table, col: int, top: int, bottom: int) -> None:
    table.cell(top, col).merge(table.cell(bottom, col))


def _hand_typed(pkg) -> bytes:
    """The seed's basic and overall tables typed by hand in another layout."""
    doc = Document()
    y = pkg.fiscal_year
    b, o = pkg.basic, pkg.overall
    doc.add_paragraph(f"{y}年度预算单位整体支出绩效评价基础数据表")
    rows = [["单位名称", b.unit_name, "", "", ""]]
    rows.append(["人员情况", "编制数", f"{y}年", "控制率", ""])
    rows.append(["", "", "实际在职人数", "", ""])
    st = b.staffing
    rows.append(["", str(st.establishment), str(st.actual), f"{st.control_rate / 100:f}", ""])
    rows.append(["经费控制情况", f"{y - 1}年", f"{y}年", "", ""])
    rows.append(["", "决算数", "预算数", "决算数", ""])
    labels = {"sangong": '"三公"经费（万元）', "vehicle": "(一)公务用车购置及运行维护费", "vehicle_purchase": "其中公务用车购置费",
              "vehicle_operation": "公务用车运行维护费", "overseas": "(二)因公出国(境)费", "reception": "(三)公务接待费",
              "project_spending": "二、项目支出", "business_funds": "1.业务工作经费", "operation_funds": "2.运行维护经费",
              "district_special": "3.区级专项资金", "transfer": "4.上级转移支付", "public_funds": "三、日常公用经费",
              "office_funds": "其中：办公费", "utilities_travel": "水电费、差旅费", "meeting_training": "会议费、培训费",
              "procurement": "政府采购金额（万元）", "basic_budget_adjustment": "部门基本支出预算调整"}

    def money(v):
        return "—" if v is None else (f"￥{v}" if str(v) != "/" else "/")

    for fld, label in labels.items():
        r = getattr(b, fld)
        rows.append([label, money(r.prev_final), money(r.budget), money(r.final), ""])
        for item in {"district_special": b.district_special_items, "transfer": b.transfer_items}.get(fld, []):
            rows.append([item.name, money(item.prev_final), money(item.budget), money(item.final), ""])
    rows.append(["厉行节约保障措施", b.frugality_measures or "", "", "", ""])
    t = doc.add_table(rows=len(rows), cols=5)
    for i, row in enumerate(rows):
        for k, text in enumerate(row):
            if text:
                t.cell(i, k).text = text
    t.cell(0, 1).merge(t.cell(0, 3))
    for col in (0, 1, 3):
        _merge_down(t, col, 1, 2)
    t.cell(4, 2).merge(t.cell(4, 3))
    _merge_down(t, 0, 4, 5)
    t.cell(len(rows) - 1, 1).merge(t.cell(len(rows) - 1, 3))

    doc.add_paragraph(f"{y}年度预算单位整体支出绩效自评表")
    f = o.funds
    rows = [["单位名称", o.unit_name or "", "", "", "", "", "", "", ""]]
    rows.append(["年度预算申请（万元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "自评得分", ""])
    rows.append(["", "年度资金总额", str(f.initial_budget), str(f.full_year_budget), str(f.executed), str(f.weight),
                 f"{f.execution_rate}%", str(f.self_score), ""])
    inc, sp = o.income, o.spending
    rows.append(["", "按收入性质分：", "", "", "", "按支出性质分：", "", "", ""])
    def s(v):
        return "" if v is None else str(v)

    rows.append(["", f"其中：财政拨款：{s(inc.general_budget)}万元", "", "", "", f"基本支出（{s(sp.basic)}）", "", "", ""])
    rows.append(["", f"政府性基金拨款：{s(inc.government_fund)}", "", "", "", f"项目支出（{s(sp.project)}）", "", "", ""])
    rows.append(["", f"纳入专户管理的非税收入拨款：{s(inc.special_account)}", "", "", "", "", "", "", ""])
    rows.append(["", f"其他资金：{s(inc.other)}", "", "", "", "", "", "", ""])
    rows.append(["年度总体目标", "预期目标", "", "", "", "实际完成情况", "", "", ""])
    rows.append(["", o.goals.expected or "", "", "", "", o.goals.actual or "", "", "", ""])
    rows.append(["绩效指标", "一级指标", "二级指标", "三级指标", "年度", "实际", "分值", "自评得分", "偏差原因分析及改进措施"])
    rows.append(["", "", "", "", "指标值", "完成值", "", "", ""])
    for l1 in o.indicators:
        for l2 in l1.children:
            for ind in l2.indicators:
                rows.append(["", l1.label, l2.label, ind.name or "", ind.target.raw if ind.target else "",
                             ind.actual.raw if ind.actual else "", str(ind.weight), str(ind.self_score),
                             ind.deviation_reason or ""])
    rows.append(["总分", "", "", "", "", "", str(o.total_weight), str(o.total_self_score), ""])
    t = doc.add_table(rows=len(rows), cols=9)
    for i, row in enumerate(rows):
        for k, text in enumerate(row):
            if text:
                t.cell(i, k).text = text
    head = next(i for i, r in enumerate(rows) if r[1] == "一级指标")
    for col in (0, 1, 2, 3, 6, 7, 8):
        _merge_down(t, col, head, head + 1)
    for i in (4, 5, 6, 7, 9):
        t.cell(i, 1).merge(t.cell(i, 4))
        t.cell(i, 5).merge(t.cell(i, 8))
    t.cell(3, 1).merge(t.cell(3, 4))
    t.cell(3, 5).merge(t.cell(3, 8))
    t.cell(8, 1).merge(t.cell(8, 4))
    t.cell(8, 5).merge(t.cell(8, 8))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_tables_typed_by_hand_in_another_layout_read_the_same(seed_pkg):
    result = import_docx_bytes(_hand_typed(seed_pkg), "hand.docx")
    messages = [i.describe() for i in result.issues]
    got = result.package
    assert got.basic.model_dump(exclude={"title", "signature", "note"}) == seed_pkg.basic.model_dump(
        exclude={"title", "signature", "note"}), messages
    want = seed_pkg.overall.model_dump(exclude={"title", "signature", "note"})
    assert got.overall.model_dump(exclude={"title", "signature", "note"}) == want, messages
    for message in messages:  # notes on what was guessed or read, never a value left out
        assert "读入" in message or "读作" in message or "没有找到" in message, message
