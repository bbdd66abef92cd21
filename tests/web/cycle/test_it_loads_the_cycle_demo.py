
"""The demo's 2024 campaign collects the whole cycle: 档案馆 has approved targets and a lagging
monitoring table, so `make run` shows the approval and the monitoring dashboard."""

from __future__ import annotations


def test_the_demo_has_approved_targets_and_a_lagging_monitoring_table(db):
    from webworld import client_for

    from jixiao.web.accounts.models import User
    from jixiao.web.bureau.monitoring import build
    from jixiao.web.demo import load_demo
    from jixiao.web.packages.models import Campaign, Package

    logins = load_demo()
    assert ("dangan-fuzeren", "单位负责人", "岳阳楼区城市建设档案馆") in logins
    campaign = Campaign.objects.get(year=2024)
    assert campaign.stages == ["targets", "monitoring", "evaluation"]
    dangan = {p.stage: p for p in Package.objects.filter(campaign=campaign, unit__name="岳阳楼区城市建设档案馆")}
    assert dangan["targets"].state == "accepted" and dangan["targets"].target_approvals.get().version == 1
    assert dangan["monitoring"].state == "submitted"
    assert dangan["monitoring"].head.document["projects"][0]["project_name"] == "城建档案数字化项目"
    board = build(campaign)
    assert [r.pkg.unit.name for r in board.behind] == ["岳阳楼区城市建设档案馆"] and len(board.at_risk) == 1
    home = client_for(User.objects.get(username="dangan-tianbiao")).get("/").content.decode()
    assert "已批复（批复第1版，已冻结）" in home and "开始填报绩效自评" in home
