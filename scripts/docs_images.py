"""Regenerate docs/render-basic.png and docs/render-overall.png (pages of the seed package's PDF)
and docs/render-national-*.png, docs/render-province-project.png (the Word files of the example
packages on the other forms, tests/support/other_forms.py, converted by LibreOffice).

    .venv/bin/python scripts/docs_images.py

Needs pdftoppm and LibreOffice (poppler-utils, installed by scripts/system-deps.sh). Pages are rendered at
100 dpi and stored as 16-level greyscale PNGs so the repository stays small.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "2023-yueyanglou-chengguan-ducha.json"
PAGES = {"render-basic.png": 1, "render-overall.png": 2}


def main() -> int:
    from jixiao.io import load_package
    from jixiao.render import render_package

    with tempfile.TemporaryDirectory() as tmp:
        (pdf,) = render_package(load_package(SEED), tmp, ["pdf"]).files
        for name, page in PAGES.items():
            _page_png(pdf, page, name, Path(tmp))
    _other_forms()
    return 0


def _page_png(pdf: Path, page: int, name: str, tmp: Path) -> None:
    prefix = tmp / f"p{page}"
    subprocess.run(["pdftoppm", "-png", "-r", "100", "-f", str(page), "-l", str(page), "-singlefile",
                    str(pdf), str(prefix)], check=True, timeout=120)
    image = Image.open(f"{prefix}.png").convert("L").quantize(16)
    out = ROOT / "docs" / name
    out.parent.mkdir(exist_ok=True)
    image.save(out, optimize=True)
    print(f"wrote {out.relative_to(ROOT)} ({out.stat().st_size // 1024} KB)")


def _other_forms() -> None:
    import shutil

    from jixiao.model import Package
    from jixiao.render import render_package

    sys.path.insert(0, str(ROOT / "tests"))
    from support.other_forms import NATIONAL, PROVINCE_PROJECT, other_form_packages

    # The first page of each table of the example packages, by its Word file's number.
    pages = {NATIONAL: {"render-national-overall.png": 1, "render-national-project.png": 2},
             PROVINCE_PROJECT: {"render-province-project.png": 1}}
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    for form_id, doc in other_form_packages().items():
        with tempfile.TemporaryDirectory() as tmp:
            files = render_package(Package.model_validate(doc), tmp, ["docx"]).files
            for name, n in pages[form_id].items():
                (docx,) = [f for f in files if f"-{n:02d}-" in f.name]
                subprocess.run([soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to",
                                "pdf", "--outdir", tmp, str(docx)], check=True, timeout=180, capture_output=True)
                _page_png(docx.with_suffix(".pdf"), 1, name, Path(tmp))


if __name__ == "__main__":
    sys.exit(main())
