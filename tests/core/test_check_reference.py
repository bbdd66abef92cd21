"""The checker's output, byte for byte, on a corpus of packages (tests/support/corpus.py):
speed work (caches, precomputed indexes, incremental checking) must not change a finding,
a message, an order or a score.

The reference was recorded before the speed work by scripts/record_check_reference.py. When a
change is meant to change the output (a new rule, a new message, a new form), run that script
and review what changed in the fixture's diff.
"""

from __future__ import annotations

import difflib
import gzip
import json
from pathlib import Path

from jixiao.api import check_package
from support.corpus import reference_corpus

FIXTURE = Path(__file__).parent / "data" / "check_reference.json.gz"


def test_check_output_matches_the_recorded_reference():
    expected = gzip.decompress(FIXTURE.read_bytes()).decode("utf-8").splitlines()
    corpus = reference_corpus()
    assert len(corpus) == len(expected), "corpus changed: re-record with scripts/record_check_reference.py"
    for i, (pkg, want) in enumerate(zip(corpus, expected, strict=True)):
        got = json.dumps(check_package(pkg).to_dict(), ensure_ascii=False, sort_keys=True)
        if got != want:
            diff = difflib.unified_diff(json.dumps(json.loads(want), ensure_ascii=False, indent=1).splitlines(),
                                        json.dumps(json.loads(got), ensure_ascii=False, indent=1).splitlines(),
                                        "reference", "now", lineterm="", n=2)
            raise AssertionError(f"package {i} ({pkg.unit_name}) differs:\n" + "\n".join(list(diff)[:80]))


def test_the_corpus_exercises_the_report_rules():
    # Without disagreeing prose the reference would not pin the report stage.
    rules = {f["rule"] for line in gzip.decompress(FIXTURE.read_bytes()).decode("utf-8").splitlines()
             for f in json.loads(line)["findings"]}
    assert {"report.amount_mismatch", "report.goal_mismatch", "report.indicator_mismatch", "report.item_mismatch",
            "report.item_omitted", "report.share_mismatch", "report.sum_mismatch", "basic.subtotal",
            "score.total_row"} <= rules
