"""What a web server process does once, before its first request (wsgi.py: gunicorn's workers and
`jixiao serve` alike): the core's warm-up (jixiao.warmup), after Django has loaded.

A server process holds some 200,000 long-lived objects (Django, pydantic's schemas, the pack); a
save allocates thousands of containers, so every few dozen saves the collector's oldest
generation walked all of them: about 130 ms at once, 2.6 ms a save on average (measured with
gc.callbacks around the save benchmark; scripts/bench_save.py). Frozen, they are walked no more.
"""

from __future__ import annotations

from ..warmup import warm_up

__all__ = ["warm_up"]
