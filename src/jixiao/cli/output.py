"""Terminal output: the Chinese check report, score tables, progress bar, summary table."""

from __future__ import annotations

import os
import unicodedata
from itertools import groupby
from typing import TextIO

from ..forms import column_label, figure_label
from ..rules import SEVERITY_ZH

SEVERITY_COLOUR = {"error": "31", "warning": "33", "info": "36"}


class Styler:
    """ANSI colour only on a terminal, and never when NO_COLOR is set."""

    def __init__(self, stream: TextIO):
        self.on = stream.isatty() and "NO_COLOR" not in os.environ

    def __call__(self, text: str, code: str) -> str:
        return f"\033[{code}m{text}\033[0m" if self.on else text

    def severity(self, severity: str) -> str:
        return self(f"[{SEVERITY_ZH[severity]}]", SEVERITY_COLOUR[severity])


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, n: int) -> str:
    """``text`` in a column ``n`` wide: padded, or cut with '…' so the next column still lines up."""
    if width(text) >= n:
        while text and width(text) > n - 3:
            text = text[:-1]
        text += "…"
    return text + " " * max(1, n - width(text))


def print_check_text(result, style: Styler, import_issues=(), form=None) -> None:
    pkg = result.package
    from ..cycle import STAGE_NAMES, stage_of

    print(style(f"{pkg.fiscal_year}年度 {pkg.unit_name} {STAGE_NAMES[stage_of(pkg.form)]}材料审核结果", "1"))
    if import_issues:
        print()
        print(style("■ 导入（读取文件时未能归位的内容）", "1"))
        for issue in import_issues:
            print(f"  {style('[导入]', '35')} {issue.describe()}")
    for part, group in groupby(result.findings, key=lambda f: f.location.table or f.location.part):
        print()
        print(style(f"■ {part}", "1"))
        for f in group:
            print(f"  {style.severity(f.severity)} {f.message}  ({f.rule})")
    print()
    scored = [t for t in result.scores if t.self_total is not None or t.computed_total is not None]
    total = _total_label(form) if scored else ""  # the cycle's target and monitoring forms have no score column
    for t in scored:
        print(
            f"{t.table}：{total} {_n(t.self_total)}（{t.self_grade or '—'}），"
            f"按规则核定 {_n(t.computed_total)}（{t.computed_grade or '—'}）"
        )
    e, w, i = (result.count(s) for s in ("error", "warning", "info"))
    summary = f"共 {len(result.findings)} 条：错误 {e} 条，警告 {w} 条，提示 {i} 条。"
    if import_issues:
        summary += f"另有导入提示 {len(import_issues)} 条。"
    print(style(summary, "1;31" if e else "1;32"))


def _total_label(form) -> str:
    """The total score as the report names it; on forms without a report, the total row's score."""
    from ..forms import caption_name, form_def

    if form_def(form).get("report"):
        return figure_label("overall.total_self_score", form)
    return caption_name("evaluation", "total", form) + column_label("indicator", "self_score", form)


def _n(value) -> str:
    return "—" if value is None else f"{value:.2f}"


def print_score_text(result, style: Styler, form=None) -> None:
    from ..scoring import ACHIEVEMENT_ZH, METHOD_ZH

    weight = column_label("indicator", "weight", form)
    for t in result.scores:
        print(style(f"■ {t.table}", "1"))
        header = [("指标", 44), ("方法", 14), (weight, 6), ("自评", 6), ("规则", 14), ("", 4)]
        print("  " + "".join(pad(h, n) for h, n in header))
        for item in t.items:
            if item.computed is not None:
                rule = _n(item.computed)
            elif item.band_high is not None:
                rule = f"{_n(item.band_low)}～{_n(item.band_high)}"
            else:
                rule = "—"
            method = item.name if item.method == "execution" else METHOD_ZH[item.method]
            if item.achievement:
                method = ACHIEVEMENT_ZH[item.achievement]
            flag = style("偏高", "31") if item.too_high else ""
            name = item.name if width(item.name) <= 42 else item.name[:20] + "…"
            cells = [(name, 44), (method, 14), (_n(item.weight), 6), (_n(item.self_score), 6), (rule, 14)]
            print("  " + "".join(pad(c, n) for c, n in cells) + flag)
        print(
            f"  合计：{weight} {_n(t.weight_total)}，自评 {_n(t.self_total)}（{t.self_grade or '—'}），"
            f"按规则核定 {_n(t.computed_total)}（{t.computed_grade or '—'}）"
        )
        print()


class Progress:
    """A one-line progress bar on a terminal; silent otherwise. Call it once per item done."""

    def __init__(self, total: int, stream: TextIO):
        self.total, self.stream, self.done = total, stream, 0
        self.on = stream.isatty() and total > 0

    def __call__(self) -> None:
        self.done += 1
        if not self.on:
            return
        filled = int(30 * self.done / self.total)
        self.stream.write(f"\r审核中 [{'#' * filled}{'.' * (30 - filled)}] {self.done}/{self.total}")
        if self.done == self.total:
            self.stream.write("\n")
        self.stream.flush()


def print_summary_table(rows, style: Styler) -> None:
    """One line per package (jixiao.cli.folder_check.Checked), then the counts."""
    cols = [("文件", 40), ("单位", 36), ("错误", 6), ("警告", 6), ("提示", 6), ("自评", 8), ("核定", 8)]
    print("".join(pad(h, n) for h, n in cols))
    errors = 0
    for row in rows:
        if row.error is not None:
            print(pad(row.where, 40) + style(f"无法读取：{row.error}", "31"))
            continue
        errors += row.has_errors
        cells = [
            (row.where, 40), ((row.unit or "")[:17], 36), (str(row.errors), 6), (str(row.warnings), 6),
            (str(row.infos), 6), (_n(row.self_total), 8), (_n(row.computed_total), 8),
        ]
        line = "".join(pad(c, n) for c, n in cells)
        print(style(line, "31") if row.errors else line)
    unread = sum(1 for row in rows if row.error is not None)
    print(f"共 {len(rows)} 份：有错误 {errors} 份，无法读取 {unread} 份。")
