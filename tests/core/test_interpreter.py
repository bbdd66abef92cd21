"""The project's venv runs on the optimised interpreter where the machine has one: the Makefile
makes it from Debian's python3.11, built with profile-guided and link-time optimisation, which
runs this project's checks about a fifth faster than a plain build such as pyenv's
(docs/operations.md, "The interpreter")."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest


def test_the_venv_is_made_from_debians_optimised_python():
    if not Path("/usr/bin/python3.11").exists():
        pytest.skip("this machine has no Debian python3.11: the venv is made from python3 on PATH")
    if os.environ.get("CI") != "true" and Path(sys.base_prefix) != Path("/usr"):
        pytest.skip(f"this .venv predates the Makefile's choice ({sys.base_prefix}): `make clean` remakes it")
    assert Path(sys.base_prefix) == Path("/usr"), f"the venv runs on {sys.base_prefix}, not Debian's python3.11"
    assert sys.version_info[:2] == (3, 11)
