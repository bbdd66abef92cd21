"""No value is lost, whatever the layout: generated packages drawn at random in the layouts
units use (iofix_variants) import to the same package, and whatever a layout adds that no
form row or column holds is named by an import finding.

The property: placed + reported = every non-blank cell. ``placed`` is checked by equality
with the package the file was drawn from; ``reported`` by finding each injected text in a
finding; and an import finding that is neither a guess that was placed ('按…读入'), a value
read with a note ('读作') nor an injected text fails the test.
"""

from __future__ import annotations

import os
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from iofix_seed import package_blocks
from iofix_variants import excel, vary, word

from jixiao.io.docx_reader import import_docx_bytes
from jixiao.io.xlsx_io import import_xlsx_bytes
from support.generate import generated_packages

PACKAGES = generated_packages(40, seed=11)
# Layouts drawn per run; JIXIAO_LAYOUTS=3000 make test (or pytest this file) draws thousands.
LAYOUTS = int(os.environ.get("JIXIAO_LAYOUTS", "300"))


def _explained(message: str, injected: list[str]) -> bool:
    return "读入" in message or "读作" in message or any(t in message for t in injected)


def _check(result, pkg, injected: list[str]) -> None:
    messages = [i.describe() for i in result.issues]
    assert result.package == pkg, messages
    for text in injected:
        assert any(text in m for m in messages), (text, messages)
    unexplained = [m for m in messages if not _explained(m, injected)]
    assert not unexplained, unexplained


@settings(max_examples=LAYOUTS, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(PACKAGES) - 1), st.integers(0, 2**32), st.booleans(), st.booleans())
def test_word_files_in_any_layout_lose_nothing(index, seed, inject, cut):
    pkg = PACKAGES[index]
    blocks, injected = vary(package_blocks(pkg), random.Random(seed), inject=inject)
    _check(import_docx_bytes(word(blocks, cut=cut), "v.docx"), pkg, injected)


@settings(max_examples=max(LAYOUTS // 4, 20), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(PACKAGES) - 1), st.integers(0, 2**32), st.booleans())
def test_excel_files_in_any_layout_lose_nothing(index, seed, inject):
    pkg = PACKAGES[index]
    blocks, injected = vary(package_blocks(pkg), random.Random(seed), inject=inject)
    _check(import_xlsx_bytes(excel(blocks), "v.xlsx"), pkg, injected)


def test_the_seed_in_any_layout_loses_nothing(seed_pkg):
    for seed in range(30):
        blocks, injected = vary(package_blocks(seed_pkg), random.Random(seed), inject=seed % 2 == 1)
        _check(import_docx_bytes(word(blocks, cut=seed % 3 == 0), "seed.docx"), seed_pkg, injected)


@pytest.mark.parametrize("seed", range(3))
def test_plain_official_blocks_import_without_findings(seed):
    pkg = PACKAGES[seed]
    result = import_docx_bytes(word(package_blocks(pkg)), "p.docx")
    assert result.package == pkg and result.issues == []
