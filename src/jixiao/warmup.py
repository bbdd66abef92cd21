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

# The collector's thresholds from the warm-up on. The youngest generation is collected after a
# net 10,000 new containers instead of 700. A check frees nearly all it allocates by reference
# counting, yet its live objects (the package's models, the checks' caches) grow by about 700 at
# their peak: at 700 the collector ran about once a package (0.9 times, measured with
# gc.callbacks) and walked the young objects then alive, to find nothing. That was 1.8 % of a check's
# instructions and about 6 % of its time with the cache misses of those walks; at 10,000 it
# costs what a disabled collector costs (docs/operations.md "Speed"). The oldest generation is
# walked after 100 collections of the middle one instead of 10. What such a process keeps alive
# after the freeze is long-lived and acyclic: a server process's cache of checked revisions
# (jixiao.web.packages.checking, 128 of them, ~100,000 objects), the report's memoised sentences.
# Each full pass walks all of it: 60 ms, two in a hundred saves at Python's default, 1.0 ms a save
# on average (the save bench with gc.callbacks). Cyclic garbage waits longer before it is found:
# little is made, a check leaving none (tests/core/test_warmup.py).
GC_THRESHOLDS = (10_000, 10, 100)


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
