from __future__ import annotations

import pytest


@pytest.fixture
def cw(db):
    from cycleworld import CycleWorld

    return CycleWorld()
