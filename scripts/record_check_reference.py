"""Write tests/core/data/check_reference.json.gz: the full check output on the reference corpus.

The fixture pins the checker's output byte for byte, so that speed work cannot change a finding,
a message or a score. Regenerate it (and review the diff of what changed) only when a change to
the rules, the rule pack, the form or the package generator is meant to change the output:

    .venv/bin/python scripts/record_check_reference.py
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "core" / "data" / "check_reference.json.gz"


def reference_outputs() -> list[str]:
    sys.path.insert(0, str(ROOT / "tests"))
    from jixiao.api import check_package
    from support.corpus import reference_corpus

    return [json.dumps(check_package(p).to_dict(), ensure_ascii=False, sort_keys=True) for p in reference_corpus()]


def main() -> int:
    outputs = reference_outputs()
    FIXTURE.write_bytes(gzip.compress(("\n".join(outputs) + "\n").encode("utf-8"), mtime=0))
    print(f"{FIXTURE.relative_to(ROOT)}: {len(outputs)} packages, {FIXTURE.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
