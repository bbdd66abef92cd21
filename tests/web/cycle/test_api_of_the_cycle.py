"""The JSON API says which step of the cycle each package is (stage, its form) and which cycle
forms a campaign collects, and lists the packages of one step."""

from __future__ import annotations


def test_packages_carry_their_stage_and_form_and_filter_by_it(cw):
    from apiworld import api_client

    cw.approved_targets()
    cw.start("monitoring")
    api = api_client(cw.clerk, "read")
    rows = api.get("/api/v1/packages").json()
    assert {(r["stage"], r["stage_label"], r["form"]) for r in rows} == {
        ("targets", "绩效目标申报", "targets-national"), ("monitoring", "绩效运行监控", "monitoring-national")}
    only = api.get("/api/v1/packages", stage="monitoring").json()
    assert [r["stage"] for r in only] == ["monitoring"]
    assert api.get("/api/v1/packages", stage="evaluation").json() == []
    bad = api.get("/api/v1/packages", stage="budget")
    assert bad.status_code == 422


def test_a_campaign_says_which_cycle_forms_it_collects(cw):
    from apiworld import api_client

    [c] = api_client(cw.clerk, "read").get("/api/v1/campaigns").json()
    assert (c["form"], c["targets_form"], c["monitoring_form"]) == ("national", "targets-national", "monitoring-national")
