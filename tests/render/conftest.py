"""Session fixtures: each example rendered once, and one LibreOffice run for all office files."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from render_helpers import one

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
    """Every combined .docx and every .xlsx converted to PDF by LibreOffice, in one run.

    A private profile keeps the run independent of any user's LibreOffice settings and of
    other test sessions; the timeout turns a hung office suite into a failure, not a hang.
    """
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.fail("LibreOffice (soffice) is not installed: run `make system-deps` (scripts/system-deps.sh)")
    work = tmp_path_factory.mktemp("office")
    sources = {}
    for name, result in (("seed", seed_render), ("clean", clean_render)):
        for suffix, contains in ((".docx", "全套"), (".xlsx", "")):
            src = one(result, suffix, contains)
            # Short ASCII names: the conversion's output names follow the input names.
            dst = work / f"{name}-{suffix[1:]}{suffix}"
            shutil.copy(src, dst)
            sources[(name, suffix)] = dst
    profile = tmp_path_factory.mktemp("lo-profile")
    proc = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore", "--convert-to", "pdf",
         "--outdir", str(work / "pdf"), *map(str, sources.values())],
        capture_output=True, text=True, timeout=SOFFICE_TIMEOUT, check=False,
    )
    return {key: work / "pdf" / (src.stem + ".pdf") for key, src in sources.items()}, proc
