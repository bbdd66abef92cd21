"""The package model (pydantic, no Django): the single source of truth."""

from .package import (
    SCHEMA_VERSION,
    AmountRow,
    BasicDataTable,
    BuildingProject,
    FundsRow,
    Goals,
    IncomeSplit,
    Indicator,
    Level1,
    Level2,
    NamedAmountRow,
    OverallTable,
    Package,
    ProjectTable,
    Report,
    ReportSection,
    Signature,
    SpendingSplit,
    Staffing,
    Task,
    clean_label,
)
from .values import NA, IndicatorValue, ParsedValue, fold, money, parse_indicator_value, rounded, value_of

__all__ = [
    "SCHEMA_VERSION", "AmountRow", "BasicDataTable", "BuildingProject", "FundsRow", "Goals",
    "IncomeSplit", "Indicator", "IndicatorValue", "Level1", "Level2", "NA", "NamedAmountRow",
    "OverallTable", "Package", "ParsedValue", "ProjectTable", "Report", "ReportSection", "Signature",
    "SpendingSplit", "Staffing", "Task", "clean_label", "fold", "money", "parse_indicator_value", "rounded", "value_of",
]
