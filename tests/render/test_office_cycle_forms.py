"""LibreOffice opens the cycle's forms as we write them: the target and monitoring packages'
Word and Excel files convert to PDF, with the tasks' 金额合计, the grouped 偏差原因分析 header
and the ticked cause in the text. One LibreOffice run for the module."""

from __future__ import annotations

import subprocess

import pytest
from render_helpers import office_pdfs_of

from jixiao.forms.grid import TICK_MARK
from jixiao.render import render_package
from support.cycle_packages import monitoring_doc, package, targets_doc

pytestmark = pytest.mark.office
SOFFICE_TIMEOUT = 300


@pytest.fixture(scope="module")
def cycle_pdfs(tmp_path_factory):
    work = tmp_path_factory.mktemp("cycle-office")
    files = {}
    for name, doc in (("targets", targets_doc()), ("monitoring", monitoring_doc(["硬件条件保障"], "有可能"))):
        rendered = render_package(package(doc), work / name, ["docx", "xlsx"], fill_computed=True).files
        for suffix in (".docx", ".xlsx"):
            files[(name, suffix)] = next(f for f in rendered
                                         if f.suffix == suffix and (suffix == ".xlsx" or "全套" in f.name))
    return office_pdfs_of(files, work, tmp_path_factory.mktemp("lo-profile"), SOFFICE_TIMEOUT)


def _text(pdf) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True,
                          timeout=30).stdout


@pytest.mark.parametrize("key", [("targets", ".docx"), ("targets", ".xlsx"), ("monitoring", ".docx"),
                                 ("monitoring", ".xlsx")], ids=lambda k: "-".join(k) if isinstance(k, tuple) else k)
def test_libreoffice_converts_the_file(cycle_pdfs, key):
    pdfs, proc = cycle_pdfs
    assert pdfs[key].exists() and pdfs[key].stat().st_size > 5_000, f"LibreOffice failed: {proc.stdout} {proc.stderr}"


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
def test_libreoffice_reads_the_tasks_and_the_ticks(cycle_pdfs, suffix):
    pdfs, _ = cycle_pdfs
    targets = _text(pdfs[("targets", suffix)])
    for expected in ("任务名称", "金额合计", "400.50", "中期目标", "项目属性"):  # not the narrow captions
        assert expected in targets, expected
    monitoring = _text(pdfs[("monitoring", suffix)])
    for expected in ("偏差原因分析", "有可能", TICK_MARK):
        assert expected in monitoring, expected
