"""The 自评报告: reconciling its prose with the tables, and drafting it from them.

``jixiao.report.reconcile`` is a checker stage (listed in the rule engine's CHECK_MODULES);
its rules are the ``report.*`` entries of the rule pack.
"""

from __future__ import annotations

from .figures import Figure, figures_in

__all__ = ["Figure", "figures_in"]
