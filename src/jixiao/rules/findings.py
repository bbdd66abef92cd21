"""Findings: what a check says about a package, pointing at the cell it is about."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

Severity = Literal["error", "warning", "info"]
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


class Location(BaseModel):
    """Where a finding points: the part, which copy of it, a row label and a column label.

    ``path`` is the dotted model path of the cell ('basic.sangong.final',
    'overall.indicators.0.children.3.indicators.0.self_score') so a web form or a
    Word writer can mark exactly that cell.
    """

    model_config = ConfigDict(frozen=True, defer_build=True)

    part: str  # 基础数据表 / 整体支出绩效自评表 / 项目支出绩效自评表 / 自评报告
    index: int | None = None  # which project table (0-based) when part is 项目支出绩效自评表
    table: str | None = None  # how a user names this copy: '项目支出绩效自评表（业务工作经费）'
    row: str | None = None
    column: str | None = None
    path: str | None = None
    quote: str | None = None  # the report sentence a finding is about

    def describe(self) -> str:
        bits = [self.table or self.part]
        if self.row:
            bits.append(f"“{self.row}”行")
        if self.column:
            bits.append(f"“{self.column}”列")
        return "".join(bits)


class Finding(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)

    rule: str
    severity: Severity
    message: str
    location: Location
    expected: str | None = None
    actual: str | None = None

