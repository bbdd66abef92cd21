"""The sheets of the cycle's forms in the web: the targets sheet draws and saves, the monitoring
sheet saves its tick cells (偏差原因) as a list, and both later steps show the approved targets."""

from __future__ import annotations

from cycleworld import targets_document


def test_the_targets_sheet_draws_and_saves(cw):
    from webworld import client_for

    pkg = cw.start("targets")
    cw.save(pkg, targets_document(cw.unit.name))
    assert client_for(cw.clerk).get(f"/p/{pkg.pk}/sheet/project-0/").status_code == 200


def test_the_monitoring_sheet_saves_its_ticks(cw):
    import re
    from urllib.parse import urlencode

    from webworld import client_for

    cw.approved_targets()
    pkg = cw.start("monitoring")
    c = client_for(cw.clerk)
    html = c.get(f"/p/{pkg.pk}/sheet/project-0/").content.decode()
    fields = {}
    for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html):
        fields.setdefault(name, value)
    fields["projects.0.funds.executed"] = "30"
    ticks = re.findall(r'<input type="checkbox"[^>]*name="([^"]+)" value="([^"]*)"', html)
    assert ticks, "the monitoring sheet draws its 偏差原因 as checkboxes"
    causes_path = ticks[0][0]
    post = list(fields.items()) + [(f"_list.{causes_path}", "1"), (causes_path, ticks[0][1]),
                                   (causes_path, ticks[1][1])]
    r = c.post(f"/p/{pkg.pk}/sheet/project-0/", urlencode(post), content_type="application/x-www-form-urlencoded")
    assert r.status_code == 302
    pkg.refresh_from_db()
    assert pkg.head_number == 2
    saved = pkg.head.document
    for step in causes_path.split("."):
        saved = saved[int(step)] if step.isdigit() else saved[step]
    assert saved == [ticks[0][1], ticks[1][1]]


def test_the_monitoring_and_self_evaluation_sheets_show_the_approved_targets(cw):
    from webworld import client_for

    cw.approved_targets()
    c = client_for(cw.clerk)
    for stage in ("monitoring", "evaluation"):
        html = c.get(f"/p/{cw.start(stage).pk}/sheet/project-0/").content.decode()
        assert "≥5000卷" in html and "城建档案数字化项目" in html
