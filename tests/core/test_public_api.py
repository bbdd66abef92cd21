"""The web app (and the CLI) call the core through each package's public API: ``from jixiao.rules
import rule_title``, never ``from jixiao.rules.engine import …``. Each core package lists what
outside callers may use in its ``__all__``, and every name listed is there."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "jixiao"
CORE_PACKAGES = ("forms", "io", "model", "render", "report", "rules")  # packages with internals


def _resolve(module: str | None, level: int, path: Path) -> str:
    """The absolute name an import statement of ``path`` names."""
    if not level:
        return module or ""
    here = ["jixiao", *path.relative_to(SRC).with_suffix("").parts]
    base = here[: len(here) - level]
    return ".".join(base + ([module] if module else []))


def core_internals_imported(folder: Path) -> list[str]:
    """'file:line: module' for each import of a core package's submodule under ``folder``."""
    hits = []
    for path in sorted(folder.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                names = [_resolve(node.module, node.level, path)]
                if node.module is None or names[0].count(".") == 1:  # 'from jixiao.io import safe'
                    names = [f"{names[0]}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            for name in names:
                parts = name.split(".")
                if len(parts) >= 3 and parts[0] == "jixiao" and parts[1] in CORE_PACKAGES:
                    package = importlib.import_module(f"jixiao.{parts[1]}")
                    if len(parts) == 3 and parts[2] in getattr(package, "__all__", ()):
                        continue  # a public name of the package, not a submodule
                    hits.append(f"{path.relative_to(SRC)}:{node.lineno}: {name}")
    return hits


@pytest.mark.parametrize("face", ["web", "cli"])
def test_the_faces_import_only_the_public_api(face):
    hits = core_internals_imported(SRC / face)
    assert not hits, "core internals imported (add the name to the package's __all__ instead):\n" + "\n".join(hits)


def test_the_scan_sees_an_internal_import(tmp_path, monkeypatch):
    fake = SRC / "web"
    tree = "from jixiao.rules.engine import rule_title\nfrom jixiao.rules import rule_title\nimport jixiao.io.safe\n"
    probe = fake / "_probe_public_api.py"
    probe.write_text(tree, encoding="utf-8")
    try:
        hits = [h for h in core_internals_imported(fake) if "_probe_public_api" in h]
    finally:
        probe.unlink()
    assert [h.split(": ")[1] for h in hits] == ["jixiao.rules.engine", "jixiao.io.safe"]


@pytest.mark.parametrize("package", CORE_PACKAGES)
def test_every_public_name_is_there(package):
    module = importlib.import_module(f"jixiao.{package}")
    for name in module.__all__:
        assert getattr(module, name) is not None, f"jixiao.{package}.{name}"


def test_the_public_api_loads_heavy_modules_only_when_asked():
    """Importing the packages (what `jixiao check` starts with) loads no writer, reader or layout."""
    code = ("import sys, jixiao.api, jixiao.io, jixiao.render, jixiao.report, jixiao.forms\n"
            "heavy = ['jixiao.render.tables', 'jixiao.render.html_writer', 'jixiao.render.xlsx_writer',\n"
            "         'jixiao.io.safe', 'jixiao.io.legacy', 'jixiao.io.xlsx_io', 'jixiao.report.draft',\n"
            "         'jixiao.forms.grid', 'openpyxl', 'docx', 'weasyprint', 'lxml']\n"
            "print([m for m in heavy if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"
