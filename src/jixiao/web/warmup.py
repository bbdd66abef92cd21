"""What a web server process does once, before its first request (wsgi.py: gunicorn's workers and
`jixiao serve` alike).

The rule pack and the form are loaded, then everything alive is frozen out of the garbage
collector's sight (gc.freeze). A process holds some 200,000 long-lived objects (Django, pydantic's
schemas, the pack); a save allocates thousands of containers, so every few dozen saves the
collector's oldest generation walked all of them: about 130 ms at once, 2.6 ms a save on average
(measured with gc.callbacks around the save benchmark; scripts/bench_save.py). Frozen objects are
never freed, which is what module-level objects are anyway.
"""

from __future__ import annotations

import gc


def warm_up() -> int:
    """Load what nearly every request uses, then freeze the heap; returns the objects frozen."""
    import jixiao.api  # noqa: F401  (the checks, the scoring, the report's readers)
    from jixiao.forms import load_form
    from jixiao.rules import load_pack

    load_pack()
    load_form()
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
