"""The 自评报告: reconciling its prose with the tables, and drafting it from them.

``jixiao.report.reconcile`` is a checker stage (listed in the rule engine's CHECK_MODULES);
its rules are the ``report.*`` entries of the rule pack.
"""

from __future__ import annotations

from .figures import Figure, figures_in

# Drafting, reconciliation and writing the report, loaded when first asked for. (The checker
# stage ``reconcile.reconcile`` is exported as ``reconcile_report``: a package attribute named
# like a submodule is replaced by that submodule once it is imported.)
_LAZY = {"draft_report": ("draft", "draft_report"), "with_report": ("draft", "with_report"),
         "reconcile_report": ("reconcile", "reconcile"), "to_markdown": ("write", "to_markdown"),
         "write_docx": ("write", "write_docx")}

__all__ = ["Figure", "figures_in", *_LAZY]


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    module, attr = _LAZY[name]
    return getattr(importlib.import_module(f"{__name__}.{module}"), attr)
