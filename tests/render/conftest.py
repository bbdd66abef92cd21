"""Session fixtures: each example rendered once, and one LibreOffice run for all office files."""

from __future__ import annotations

import pytest
from render_helpers import office_pdfs_of, one

from jixiao.render import render_package
from support.examples import clean, seed

SOFFICE_TIMEOUT = 180


@pytest.fixture(scope="session")
def seed_render(tmp_path_factory):
    out = tmp_path_factory.mktemp("seed-render")
    return render_package(seed(), out, with_findings=True)


@pytest.fixture(scope="session")
def clean_render(tmp_path_factory):
    out = tmp_path_factory.mktemp("clean-render")
    return render_package(clean(), out, ["docx", "xlsx"])


@pytest.fixture(scope="session")
def office_pdfs(seed_render, clean_render, tmp_path_factory):
    """Every combined .docx and every .xlsx converted to PDF by LibreOffice, in one run."""
    files = {(name, suffix): one(result, suffix, contains)
             for name, result in (("seed", seed_render), ("clean", clean_render))
             for suffix, contains in ((".docx", "全套"), (".xlsx", ""))}
    return office_pdfs_of(files, tmp_path_factory.mktemp("office"), tmp_path_factory.mktemp("lo-profile"),
                          SOFFICE_TIMEOUT)
