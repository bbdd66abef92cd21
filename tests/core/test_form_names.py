"""Nothing outside jixiao.forms spells a label the form definition holds: part names, row and
column labels and captions are looked up in the form (jixiao.forms.names), so a new form renames
every message, location, export and dashboard heading with it.

The scan reads every string constant of src/jixiao outside forms/ and the migrations (docstrings
left out; comments are not constants). A label of three characters or more may not occur in a
constant; a two-character label ('分值', '说明') may not be a constant by itself (as part of a
longer text it is usually a plain word). Help texts of the command line (argparse ``help=`` and
``description=``) are prose about the commands, written before any form is chosen, and are not
scanned.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

from jixiao.forms import load_form, plain_label

SRC = Path(__file__).resolve().parents[2] / "src" / "jixiao"

# (file under src/jixiao, label, why the constant is not the form's label). Keep it short.
ALLOWED: list[tuple[str, str, str]] = [
    ("model/values.py", "分值", "the name of the score kind of number in the limits messages of every score cell"),
    ("io/docx_reader/cells.py", "分值", "the name of the score kind of number in the readers' limits messages"),
    ("io/folders.py", "项目支出", "a word of file names set aside to find the unit a file names, not the row"),
    ("report/lists.py", "预算数", "a message's own words: '可能误用了预算数' (the budget figure in general)"),
    ("web/accounts/forms.py", "填表人", "the clerk's role name (accounts.Role), which the signature line shares"),
    ("web/accounts/models.py", "填表人", "the clerk's role name (accounts.Role), which the signature line shares"),
    ("web/accounts/management/commands/adduser.py", "填表人", "the clerk's role name in the command's messages"),
    ("web/audit/models.py", "填表人", "an audit event's name: returned to the clerk (the role)"),
    ("web/packages/actions.py", "填表人", "the clerk's role name in the workflow's messages"),
    ("web/packages/views.py", "填表人", "the clerk's role name in the workflow's messages"),
    ("web/bureau/exports.py", "填表人", "the reminder list's column of the clerks (the role) to remind"),
    ("report/lists.py", "项目资金", "a message's own words: '如该项目资金不属于…' (this project's money)"),
    ("web/accounts/management/commands/adduser.py", "预算单位名称", "the name of an account's unit (accounts.Unit)"),
    ("web/bureau/unitlist.py", "说明", "a note line of a bureau's own list of units, skipped when reading it"),
    ("web/packages/models.py", "说明", "the verbose name of a revision's note (Revision.note)"),
    ("web/evidence/models.py", "三级指标", "verbose names of an evidence's indicator and of the bureau's list of them"),
    ("web/evidence/models.py", "说明", "the verbose name of a budget decision's note (BudgetDecision.note)"),
    ("web/evidence/results.py", "说明", "the results export's column of the budget decision's note (BudgetDecision.note)"),
    ("web/audit/present.py", "备注", "the audit detail key 'note': a free remark on an event, not the form's line"),
]


def _fragments(text: str) -> list[str]:
    """The fixed pieces of a label: placeholders ({year}年, {unit}) cut out, line by line, with
    and without a trailing unit in brackets."""
    text = re.sub(r"\{(?:prev_)?year\}年?", "", text)
    out = []
    for piece in re.split(r"\{\w+\}|\n", text):
        label = plain_label(piece)
        out += [label, re.sub(r"[(（][^()（）]*[)）]$", "", label)]
    return [x for x in out if len(x) >= 2]


def form_labels(form: dict[str, Any]) -> set[str]:
    """Every part name, row label, column label and caption of a form definition."""
    texts: list[str] = [p["name"] for p in form["parts"].values()]
    basic, ev = form["basic"], form["evaluation"]
    for block, keys in ((basic, ("staffing_columns", "amount_columns", "amount_rows", "building_columns")),
                        (ev, ("funds_columns", "income_rows", "spending_rows", "project_fund_rows", "indicator_columns"))):
        for key in keys:
            texts += [item["label"] for item in block[key]]
    texts.append(ev["funds_total"]["label"])
    for l1 in ev["level1"]:
        texts += [l1["name"], *(c["name"] for c in l1["children"])]
    for rate in form["derived"]["rates"]:
        texts += [rate["row"].replace("{n}", ""), rate["column"]]

    def captions(node: Any) -> None:
        if isinstance(node, str):
            texts.append(node)
        elif isinstance(node, dict):
            for key, value in node.items():
                if key != "field":
                    captions(value)
        elif isinstance(node, list):
            for value in node:
                captions(value)

    captions({k: v for k, v in form["captions"].items() if k != "level1_weight"})
    return {f for text in texts for f in _fragments(text)}


def _skipped(tree: ast.AST) -> set[int]:
    """Docstrings (a string standing as a statement: of a module, class, function or attribute)
    and argparse help texts."""
    out: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            out.add(id(node.value))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in (
                "add_argument", "add_parser", "add_subparsers", "ArgumentParser"):
            for kw in node.keywords:
                if kw.arg in ("help", "description"):
                    out |= {id(n) for n in ast.walk(kw.value)}
    return out


def label_literals(labels: set[str]) -> list[tuple[str, int, str, str]]:
    """(file, line, label, constant) for each constant that spells a label."""
    hits = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        if rel.startswith("forms/") or "/migrations/" in rel:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skipped = _skipped(tree)
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str)) or id(node) in skipped:
                continue
            for label in labels:
                if (label in node.value) if len(label) >= 3 else (node.value.strip() == label):
                    hits.append((rel, node.lineno, label, node.value))
    return hits


def test_form_labels_are_looked_up_not_spelled():
    labels = form_labels(load_form())
    allowed = {(path, label) for path, label, _ in ALLOWED}
    found = [h for h in label_literals(labels) if (h[0], h[2]) not in allowed]
    assert not found, "labels of the form definition spelled outside jixiao.forms (use jixiao.forms.names):\n" + "\n".join(
        f"  {path}:{line}: “{label}” in {text[:60]!r}" for path, line, label, text in found)


def test_the_allow_list_is_still_needed():
    used = {(h[0], h[2]) for h in label_literals(form_labels(load_form()))}
    stale = [(path, label) for path, label, _ in ALLOWED if (path, label) not in used]
    assert not stale, f"allow-list entries no code needs any more: {stale}"


def test_the_scan_sees_the_labels():
    labels = form_labels(load_form())
    assert {"基础数据表", "年度资金总额", "全年预算数", "执行率", "分值", "财政供养人员情况", "一级指标", "决算数",
            "公务用车购置和维护经费", "按收入性质分", "单位负责人签字"} <= labels
    tree_hits = [h for h in label_literals({"基础数据表"}) if h[0] == "rules/checks/basic.py"]
    assert not tree_hits
