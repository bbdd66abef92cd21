"""The sheets of the cycle's forms in the web. The targets sheet and the monitoring sheet's tick
cells come from the draw helper's grid work; until it is on main these are expected to fail
(xfail, not strict), and the browser story imports those two tables from a file instead."""

from __future__ import annotations

import pytest
from cycleworld import targets_document


@pytest.mark.xfail(strict=False, reason="the targets form's sheet needs the draw helper's grid (KeyError 'derived')")
def test_the_targets_sheet_draws_and_saves(cw):
    from webworld import client_for

    pkg = cw.start("targets")
    cw.save(pkg, targets_document(cw.unit.name))
    assert client_for(cw.clerk).get(f"/p/{pkg.pk}/sheet/project-0/").status_code == 200


@pytest.mark.xfail(strict=False, reason="the monitoring sheet posts its tick cells (偏差原因) as text until draw's tick cells land")
def test_the_monitoring_sheet_saves_its_ticks(cw):
    import re

    from webworld import client_for

    cw.approved_targets()
    pkg = cw.start("monitoring")
    c = client_for(cw.clerk)
    html = c.get(f"/p/{pkg.pk}/sheet/project-0/").content.decode()
    fields = {}
    for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html):
        fields.setdefault(name, value)
    fields["projects.0.funds.executed"] = "30"
    r = c.post(f"/p/{pkg.pk}/sheet/project-0/", fields)
    assert r.status_code == 302
    pkg.refresh_from_db()
    assert pkg.head_number == 2


def test_the_monitoring_and_self_evaluation_sheets_show_the_approved_targets(cw):
    from webworld import client_for

    cw.approved_targets()
    c = client_for(cw.clerk)
    for stage in ("monitoring", "evaluation"):
        html = c.get(f"/p/{cw.start(stage).pk}/sheet/project-0/").content.decode()
        assert "≥5000卷" in html and "城建档案数字化项目" in html
