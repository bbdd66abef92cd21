"""What jixiao render writes (Word, whole and per part, and Excel) imports back to the same package."""

from __future__ import annotations

import pytest

from jixiao.cli import main
from jixiao.io import import_package


@pytest.mark.parametrize("which", ["full", "parts", "xlsx"])
def test_rendered_documents_import_back(tmp_path, example_packages, which, capsys):
    for name, pkg in example_packages.items():
        src = tmp_path / f"{name}.json"
        src.write_text(pkg.model_dump_json(), encoding="utf-8")
        out = tmp_path / name
        assert main(["render", str(src), "--out", str(out), "--format", "xlsx" if which == "xlsx" else "docx"]) == 0
        capsys.readouterr()
        if which == "full":
            target = next(out.glob("*全套.docx"))
        elif which == "parts":
            target = tmp_path / f"{name}-parts"
            target.mkdir()
            for f in out.glob("*.docx"):
                if "全套" not in f.name:
                    f.rename(target / f.name)
        else:
            target = next(out.glob("*.xlsx"))
            pkg = pkg.model_copy(update={"report": None})  # the workbook holds the tables only
        result = import_package(target)
        assert result.package == pkg, name
        assert result.issues == [], [i.describe() for i in result.issues]
