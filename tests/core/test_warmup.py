"""A process that checks many packages freezes its loaded heap first (jixiao.warmup): the cyclic
garbage collector then no longer walks every long-lived object again and again, which pays only
because a check leaves nothing for that collector to find."""

from __future__ import annotations

import gc
import subprocess
import sys

from jixiao.api import check_package
from jixiao.model import Package
from support.generate import generated_packages


def test_warm_up_loads_the_checker_and_freezes_the_heap():
    code = ("import gc, sys\n"
            "assert gc.get_freeze_count() == 0 and 'jixiao.rules.checks.basic' not in sys.modules\n"
            "from jixiao.warmup import warm_up\n"
            "n = warm_up()\n"
            "assert 'jixiao.rules.checks.basic' in sys.modules and 'jixiao.report.reconcile' in sys.modules\n"
            "print(n, gc.get_freeze_count(), *gc.get_threshold())\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    returned, frozen, *thresholds = map(int, out.stdout.split())
    assert returned == frozen > 20_000  # pydantic's schemas, the pack, the form, the checks
    # Young objects collected fourteen times less often than Python's default (700, 10, 10), the
    # oldest generation walked ten times less often.
    assert tuple(thresholds) == (10_000, 10, 100)


def test_a_check_leaves_no_garbage_for_the_cyclic_collector():
    """Everything a check allocates is freed by reference counting (the engine empties its
    context's cache, which points back at the context): frozen or not, the collector finds nothing."""
    blobs = [p.model_dump_json() for p in generated_packages(12, seed=11, draft_reports=True)]
    gc.collect()
    gc.disable()
    try:
        for blob in blobs:
            result = check_package(Package.model_validate_json(blob))
            assert result.findings is not None
        del result
        assert gc.collect() == 0
    finally:
        gc.enable()
