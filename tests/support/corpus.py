"""A corpus of packages for the byte-identical check test (tests/core/test_check_reference.py).

Generated units with and without drafted reports, the seed and the clean example, and the same
reports with some of their digits changed, so that every report rule has figures that disagree.
Deterministic: the same list on every run and machine.
"""

from __future__ import annotations

import random

from jixiao.model import Package

from .examples import clean, seed
from .generate import generated_packages


def _other_digit(text: str, rng: random.Random) -> str:
    digits = [i for i, ch in enumerate(text) if ch.isdigit()]
    if not digits:
        return text
    i = rng.choice(digits)
    return text[:i] + str((int(text[i]) + rng.randint(1, 9)) % 10) + text[i + 1 :]


def _garbled(pkg: Package, rng: random.Random, changes: int) -> Package:
    """The package with ``changes`` digits of its report prose and its goals replaced by others."""
    pkg = pkg.model_copy(deep=True)
    goals = [t.goals for t in [pkg.overall, *pkg.projects] if t is not None]
    for _ in range(changes):
        if pkg.report is not None and rng.random() < 0.7:
            section = rng.choice(pkg.report.sections)
            section.body = _other_digit(section.body, rng)
        elif goals:
            g = rng.choice(goals)
            field = rng.choice(["expected", "actual"])
            setattr(g, field, _other_digit(getattr(g, field) or "", rng) or None)
    return pkg


def reference_corpus() -> list[Package]:
    rng = random.Random(15)
    drafted = generated_packages(100, seed=7, draft_reports=True)
    out = [seed(), clean(), *drafted, *generated_packages(40, seed=8)]
    out += [_garbled(seed(), rng, n) for n in (1, 2, 3, 5, 8, 13, 21, 34)]
    out += [_garbled(p, rng, rng.randint(1, 12)) for p in drafted[:60]]
    return out
