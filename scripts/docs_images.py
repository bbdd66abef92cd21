"""Regenerate docs/render-basic.png and docs/render-overall.png: pages of the seed package's PDF.

    .venv/bin/python scripts/docs_images.py

Needs pdftoppm (poppler-utils, installed by scripts/system-deps.sh). Pages are rendered at
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
            prefix = Path(tmp) / f"p{page}"
            subprocess.run(["pdftoppm", "-png", "-r", "100", "-f", str(page), "-l", str(page), "-singlefile",
                            str(pdf), str(prefix)], check=True, timeout=120)
            image = Image.open(f"{prefix}.png").convert("L").quantize(16)
            out = ROOT / "docs" / name
            out.parent.mkdir(exist_ok=True)
            image.save(out, optimize=True)
            print(f"wrote {out.relative_to(ROOT)} ({out.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
