"""Every consumer takes the form it is given (a campaign's, `--form`, or the one its pack names)."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from jixiao.errors import FormError
from jixiao.forms import form_of, load_form
from jixiao.pack import read_pack
from support.examples import SEED_PATH, seed

JIXIAO = str(Path(sys.executable).with_name("jixiao"))


def test_a_pack_names_its_form():
    assert form_of(read_pack("hunan-2023"))["id"] == "hunan-2023"
    assert form_of(None, "hunan-2023") is load_form("hunan-2023")


def test_an_unknown_form_is_one_chinese_line():
    with pytest.raises(FormError, match="找不到表式定义“nosuch”"):
        load_form("nosuch")
    r = subprocess.run([JIXIAO, "render", str(SEED_PATH), "--out", "/tmp/x-never", "--form", "nosuch"],
                       capture_output=True, text=True)
    assert r.returncode == 2 and r.stderr.strip() == "jixiao: 找不到表式定义“nosuch”"
    r = subprocess.run([JIXIAO, "template", "-o", "/tmp/x-never.xlsx", "--form", "nosuch"], capture_output=True, text=True)
    assert r.returncode == 2 and "找不到表式定义" in r.stderr


def test_render_and_the_template_draw_the_form_they_are_given(tmp_path):
    """A form (given as a .yaml file) whose caption differs from the default's: the documents show it."""
    variant = copy.deepcopy(load_form("hunan-2023"))
    variant["id"] = "variant"
    variant["captions"]["basic"]["frugality"] = "厉行节约措施（另一表式）"
    path = tmp_path / "variant.yaml"
    path.write_text(yaml.safe_dump(variant, allow_unicode=True), encoding="utf-8")
    import openpyxl

    from jixiao.io.xlsx_io import write_template
    from jixiao.render import render_package
    from jixiao.render.tables import build_parts

    parts = build_parts(seed(), form_of(None, str(path)))
    assert any(c.text == "厉行节约措施（另一表式）" for p in parts if p.grid for row in p.grid.rows for c in row)
    result = render_package(seed(), tmp_path / "out", formats=("xlsx",), form=str(path))
    texts = {c.value for ws in openpyxl.load_workbook(result.files[0]).worksheets for row in ws.iter_rows() for c in row}
    assert "厉行节约措施（另一表式）" in texts
    out = tmp_path / "t.xlsx"
    out.write_bytes(write_template(2023, form=str(path)))
    texts = {c.value for ws in openpyxl.load_workbook(out).worksheets for row in ws.iter_rows() for c in row}
    assert "厉行节约措施（另一表式）" in texts
    r = subprocess.run([JIXIAO, "render", str(SEED_PATH), "--out", str(tmp_path / "cli"), "--format", "xlsx",
                        "--form", str(path)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
