"""The checker: a rule engine, the built-in checks and the rule packs.

The public API for callers outside ``jixiao.rules`` (the web app, the CLI) is ``__all__``;
the engine's and the findings' modules are internals.
"""

from .engine import (
           DEFAULT_PACK,
           Pack,
           PackError,
           load_pack,
           pack_of,
           registered_rules,
           rule_title,
           run_checks,
           sort_findings,
)
from .findings import SEVERITY_ORDER, SEVERITY_ZH, Finding, Location
from .incremental import check_changed

__all__ = ["DEFAULT_PACK", "SEVERITY_ORDER", "SEVERITY_ZH", "Finding", "Location", "Pack", "PackError", "check_changed",
           "load_pack", "pack_of", "registered_rules", "rule_title", "run_checks", "sort_findings"]
