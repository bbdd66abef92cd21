"""What a process that checks many packages does once, before the first: the web server's
processes (jixiao.web.wsgi, after Django has loaded) and a folder check of the CLI alike.

The checks, the rule pack and the form are loaded, then everything alive is frozen out of the
cyclic garbage collector's sight (gc.freeze). A check allocates thousands of containers and
frees them all by reference counting (it leaves no cycles: tests/core/test_warmup.py), so the
collector never finds anything; yet every so often its oldest generation walks every long-lived
object of the process. In a run of 1,000 packages those walks took 0.3 s of 4 (measured with
gc.callbacks; scripts/bench.py core). Frozen objects are never freed, which is what
module-level objects are anyway.
"""

from __future__ import annotations

import gc


def warm_up() -> int:
    """Load what every check uses, then freeze the heap; returns the number of objects frozen."""
    import jixiao.api  # noqa: F401  (the checks, the scoring, the report's readers)
    from jixiao.forms import load_form
    from jixiao.rules import load_pack

    load_pack()
    load_form()
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
