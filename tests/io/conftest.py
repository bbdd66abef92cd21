"""Fixtures for the import tests: Word files built by code from the seed text and the examples."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from iofix_layouts import build  # noqa: E402
from iofix_seed import ROOT, seed_blocks, seed_package  # noqa: E402

from jixiao.model import Package  # noqa: E402

# The examples on the default form: the layouts here draw that form's tables (the other forms'
# examples are read and rendered by tests/io/test_other_forms*.py and tests/render).
EXAMPLES = sorted(p for p in (ROOT / "examples").glob("*.json")
                  if json.loads(p.read_text(encoding="utf-8")).get("form") is None)


@pytest.fixture(scope="session")
def seed_pkg() -> Package:
    return seed_package()


@pytest.fixture(scope="session")
def seed_docx() -> dict[str, bytes]:
    """The seed text rebuilt as Word files in three layouts."""
    blocks = seed_blocks()
    return {layout: build(blocks, layout) for layout in ("official", "alt", "variations")}


@pytest.fixture(scope="session")
def example_packages() -> dict[str, Package]:
    return {p.stem: Package.model_validate_json(p.read_text(encoding="utf-8")) for p in EXAMPLES}
