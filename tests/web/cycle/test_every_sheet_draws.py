"""Every sheet of every step's package draws for the clerk who edits it: the 整体 sheet of a
national self-evaluation started from approved targets answered 500 (its form prints no
按收入性质分 rows, and the hints asked for them)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("stage", ["targets", "monitoring", "evaluation"])
def test_every_tab_of_a_prefilled_package_draws(cw, stage):
    from cycleworld import targets_document
    from webworld import client_for

    from jixiao.web.packages.sheet_views import sheet_tabs

    if stage != "targets":
        cw.approved_targets()
    pkg = cw.start(stage)
    if stage == "targets":
        cw.save(pkg, targets_document(cw.unit.name))
    pkg.refresh_from_db()
    tabs = [key for key, _ in sheet_tabs(pkg, pkg.head.document)]
    assert "overall" in tabs and any(k.startswith("project-") for k in tabs)
    clerk = client_for(cw.clerk)
    for key in tabs:
        r = clerk.get(f"/p/{pkg.pk}/sheet/{key}/")
        assert r.status_code == 200, (stage, key, r.status_code)
