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

# The collector's thresholds from the warm-up on: the young generations as Python sets them, the
# oldest walked after 100 collections of the middle one instead of 10. What such a process keeps
# alive after the freeze is long-lived and acyclic: a server process's cache of checked revisions
# (jixiao.web.packages.checking, 128 of them, ~100,000 objects), the report's memoised sentences.
# Each full pass walks all of it: 60 ms, two in a hundred saves, 1.0 ms a save on average (the
# save bench with gc.callbacks); at 100, none in those hundred. Cyclic garbage that reaches the
# oldest generation waits longer: little does, a check leaving none (tests/core/test_warmup.py).
GC_THRESHOLDS = (700, 10, 100)


def warm_up() -> int:
    """Load what every check uses, freeze the heap and set the collector's thresholds; returns the
    number of objects frozen."""
    import jixiao.api  # noqa: F401  (the checks, the scoring, the report's readers)
    from jixiao.forms import load_form
    from jixiao.rules import load_pack

    load_pack()
    load_form()
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    return gc.get_freeze_count()
