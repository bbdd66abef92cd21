"""Dashboards from the indexed figures: which revisions count, exact money, chart data as Excel."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from bureauworld import submitted_package
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from webworld import client_for

from jixiao.web.bureau import aggregates, dashboard
from jixiao.web.bureau.figures import cents, execution_rate, from_cents, parse_rules
from jixiao.web.bureau.models import RevisionFigures
from jixiao.web.packages.models import Revision, State

money = st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=2, allow_nan=False)


@given(st.lists(money, max_size=40))
def test_it_sums_money_exactly_in_integer_cents(values):
    total = sum((cents(v) for v in values), 0)
    assert from_cents(total) == sum(values, Decimal(0)).quantize(Decimal("0.01"))
    for v in values:
        assert from_cents(cents(v)) == v


@given(st.integers(min_value=1, max_value=10**13), st.integers(min_value=0, max_value=10**13))
def test_it_recomputes_execution_rates_half_up(budget, executed):
    rate = execution_rate(budget, executed)
    exact = Decimal(executed) * 100 / Decimal(budget)
    if rate is not None:
        assert abs(rate - exact) <= Decimal("0.005")
    assert execution_rate(0, executed) is None and execution_rate(None, executed) is None


def test_it_writes_figures_for_every_revision_whoever_writes_it(world):
    rev = world.package.head  # written by the unit side's do_save
    fig = RevisionFigures.objects.get(revision=rev)
    doc = rev.document
    assert from_cents(fig.executed_cents) == Decimal(doc["overall"]["funds"]["executed"])
    assert from_cents(fig.sangong_final_cents) == Decimal(doc["basic"]["sangong"]["final"])
    assert (fig.package_id, fig.number, fig.errors) == (rev.package_id, rev.number, rev.errors)
    assert fig.self_centi == int(rev.self_total * 100) and fig.computed_grade == rev.computed_grade
    assert sum(n for _, _, n in parse_rules(fig.rules)) == rev.errors + rev.warnings + rev.infos


def test_it_counts_only_what_the_bureau_was_given(world, campaign_units):
    a = submitted_package(world, campaign_units[0], 21)
    b = submitted_package(world, campaign_units[1], 22, state=State.ACCEPTED)
    c = submitted_package(world, campaign_units[2], 23, state=State.RETURNED)
    # The unit of c is editing again after the return: its newer draft must not count.
    from jixiao.web.bureau.actions import do_write_draft
    from jixiao.web.packages.checking import evaluate

    ev = evaluate(world.package.head.document, "hunan-2023")
    do_write_draft(campaign=world.campaign, unit=campaign_units[2], actor=world.reviewer,
                   document=json.loads(json.dumps(c.head.document)), result=ev.result, source="import", note="再改")
    rows = dashboard.unit_rows(world.campaign)
    assert {r.package_id: r.number for r in rows} == {a.pk: 1, b.pk: 1, c.pk: 1}  # world.package is a draft
    d = dashboard.build_from_rows(world.campaign)
    assert sum(d.grade_counts["computed"].values()) == 3
    revs = [Revision.objects.get(package=p, number=1) for p in (a, b, c)]
    for item, field in (("三公经费", "sangong"), ("项目支出", "project_spending")):
        t = next(t for t in d.trends if t["item"] == item)
        assert t["final"] == sum((Decimal(r.document["basic"][field]["final"]) for r in revs), Decimal(0))
        assert t["prev"] == sum((Decimal(r.document["basic"][field]["prev_final"]) for r in revs), Decimal(0))
    assert d.findings and d.findings[0]["units"] >= d.findings[-1]["units"]


def test_it_renders_the_page_and_exports_each_charts_data(world, campaign_units):
    pkgs = [submitted_package(world, u, 30 + i) for i, u in enumerate(campaign_units)]
    client = client_for(world.reviewer)
    resp = client.get(reverse("bureau:dashboard", args=[world.campaign.pk]) + "?sort=self&dir=desc")
    html = resp.content.decode()
    assert resp.status_code == 200 and 'id="chart-data"' in html and "echarts-6.1.0.min.js" in html
    shown = [r.self_total for r in resp.context["page"]]
    assert shown == sorted(shown, reverse=True)
    data = resp.context["charts"]
    assert sum(p[2] for p in data["scatter"]) == 3 and data["execution"]["per_unit"]
    lo, hi = data["scatter_range"]
    values = [v for p in data["scatter"] for v in p[:2]]
    assert lo < min(values) and max(values) < hi or max(values) == hi == 100
    assert (lo, hi) != (0, 100) or min(values) < 10
    for chart in ("grades", "scatter", "execution", "trends", "findings", "units"):
        r = client.get(reverse("bureau:chart_xlsx", args=[world.campaign.pk, chart]))
        assert r.status_code == 200, chart
        wb = load_workbook(io.BytesIO(r.content))
        assert wb.worksheets[0].max_row >= 2, chart
    units = load_workbook(io.BytesIO(client.get(reverse("bureau:chart_xlsx", args=[world.campaign.pk, "units"]))
                                     .content)).worksheets[0]
    by_unit = {row[0]: row for row in units.iter_rows(min_row=2, values_only=True)}
    for p in pkgs:
        assert Decimal(str(by_unit[p.unit.name][4])) == p.head.self_total
    assert client.get(reverse("bureau:chart_xlsx", args=[world.campaign.pk, "nope"])).status_code == 404


def test_it_computes_the_same_figures_in_sql_as_in_python(world, campaign_units):
    from jixiao.web.accounts.models import Unit

    more = [Unit.objects.create(bureau=world.bureau, name=f"岳阳楼区第{i}服务中心") for i in range(9)]
    world.campaign.units.add(*more)
    states = [State.SUBMITTED, State.ACCEPTED, State.RETURNED]
    for i, u in enumerate([*campaign_units, *more]):
        submitted_package(world, u, 60 + i, state=states[i % 3])
    sql, py = aggregates.build(world.campaign), dashboard.build_from_rows(world.campaign)
    assert sql.total == py.total == 12
    assert sql.grade_counts == py.grade_counts
    assert sql.scatter == py.scatter and sql.bands == py.bands
    assert sql.trends == py.trends and sql.findings == py.findings
    assert dashboard.history(world.campaign, sql.current_year) == dashboard.history(world.campaign)
    for key in dashboard.SORTS:
        for desc in (False, True):
            got = [r.package_id for r in aggregates.page_rows(aggregates.table(world.campaign, key, desc))]
            want = [r.package_id for r in dashboard.sorted_rows(py.rows, key, desc)]
            assert got == want, (key, desc)


@pytest.mark.parametrize("points, expected", [
    ([], [0, 100]),
    ([[85.5, 72.1, 1], [91.0, 88.0, 2]], [70, 95]),
    ([[99.0, 98.0, 1]], [95, 100]),
    ([[10.0, 95.0, 1]], [0, 100]),
])
def test_it_fits_the_scatter_axes_to_the_data(points, expected):
    from jixiao.web.bureau.views_dashboard import scatter_range

    assert scatter_range(points) == expected
