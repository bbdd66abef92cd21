"""Many generated packages (tests/support/generate.py) as Word files in every layout import unchanged."""

from __future__ import annotations

import pytest
from iofix_layouts import example_docx

from jixiao.io.docx_reader import import_docx_bytes
from support.generate import generated_packages


@pytest.mark.parametrize("layout", ["official", "alt", "variations"])
def test_generated_packages_survive_word(layout):
    for pkg in generated_packages(12, seed={"official": 1, "alt": 2, "variations": 3}[layout]):
        result = import_docx_bytes(example_docx(pkg, layout), "g.docx")
        assert result.package == pkg
        assert result.issues == []
