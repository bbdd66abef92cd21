"""The Word reader: the seed package built as Word files imports to exactly the example."""

from __future__ import annotations

import pytest
from iofix_layouts import example_docx

from jixiao.io.docx_reader import import_docx_bytes

LAYOUTS = ("official", "alt", "variations")


@pytest.mark.parametrize("layout", LAYOUTS)
def test_it_imports_the_seed_word_file_to_exactly_the_example(seed_docx, seed_pkg, layout):
    result = import_docx_bytes(seed_docx[layout], f"seed-{layout}.docx")
    assert result.package == seed_pkg
    assert result.package.model_dump_json() == seed_pkg.model_dump_json()
    assert result.issues == []


@pytest.mark.parametrize("layout", LAYOUTS)
def test_it_imports_every_example_in_every_layout(example_packages, layout):
    for name, pkg in example_packages.items():
        result = import_docx_bytes(example_docx(pkg, layout), f"{name}.docx")
        assert result.package == pkg, name
        assert result.issues == [], name


def test_it_reads_several_project_tables_in_order(example_packages):
    multi = [p for p in example_packages.values() if len(p.projects) > 1]
    assert multi, "an example with several project tables is expected"
    for pkg in multi:
        got = import_docx_bytes(example_docx(pkg), "x.docx").package
        assert [p.project_name for p in got.projects] == [p.project_name for p in pkg.projects]
