"""The checker: a rule engine, the built-in checks and the rule packs."""

from .engine import DEFAULT_PACK, Pack, PackError, load_pack, registered_rules, run_checks
from .findings import Finding, Location

__all__ = ["DEFAULT_PACK", "Finding", "Location", "Pack", "PackError", "load_pack", "registered_rules", "run_checks"]
