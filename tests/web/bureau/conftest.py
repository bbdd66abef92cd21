"""Bureau tests run background jobs inline (ImmediateBackend) unless a test asks for the
database backend and its worker (see test_it_runs_jobs_on_the_database_worker)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _inline_tasks(request, settings):
    if "db_worker" not in request.keywords:
        settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def campaign_units(world):
    """The world's campaign with three more units (names as the generated packages carry them)."""
    from jixiao.web.accounts.models import Unit

    names = ["岳阳楼区园林绿化服务中心", "岳阳楼区城市建设档案馆", "岳阳楼区环境卫生管理处"]
    units = [Unit.objects.create(bureau=world.bureau, name=n) for n in names]
    world.campaign.units.add(*units)
    return units


def pytest_configure(config):
    config.addinivalue_line("markers", "db_worker: run bureau jobs through the database task backend and its worker")
