"""A server process loads the pack and the form and freezes its heap before the first request
(jixiao.warmup, from jixiao.web.wsgi): the garbage collector's oldest generation then no longer walks Django's
and pydantic's objects every few dozen saves."""

from __future__ import annotations

import os
import subprocess
import sys


def test_importing_the_wsgi_application_freezes_the_loaded_heap(tmp_path):
    code = ("import gc, sys\n"
            "assert gc.get_freeze_count() == 0\n"
            "import jixiao.web.wsgi\n"
            "print(gc.get_freeze_count(), *gc.get_threshold())\n")
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="jixiao.web.settings", JIXIAO_DATA_DIR=str(tmp_path))
    env.pop("DATABASE_URL", None)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    frozen, youngest, middle, oldest = map(int, out.stdout.split())
    assert frozen > 50_000  # Django, pydantic's schemas, the pack: well over a hundred thousand
    assert oldest == 100  # its cache of checked revisions is walked ten times less often (jixiao.warmup)
    assert (youngest, middle) == (10_000, 10)  # a save's short-lived containers are not walked thirty times
