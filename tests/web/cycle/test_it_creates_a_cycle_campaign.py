"""A bureau names, when it opens a campaign, which forms of the cycle it collects besides the
self-evaluation (绩效目标申报, 绩效运行监控); an unknown form is refused in Chinese."""

from __future__ import annotations

import pytest
from django.urls import reverse


def _post(cw, **extra):
    from webworld import client_for

    data = {"year": "2025", "title": "2025年度全过程绩效管理", "rule_pack": "national", **extra}
    return client_for(cw.reviewer).post(reverse("bureau:campaign_new"), data, follow=True)


def test_the_new_campaign_page_offers_the_cycle_forms(cw):
    from webworld import client_for

    html = client_for(cw.reviewer).get(reverse("bureau:campaign_new")).content.decode()
    assert 'name="targets_form"' in html and 'value="targets-national"' in html
    assert 'name="monitoring_form"' in html and 'value="monitoring-national"' in html


@pytest.mark.parametrize(("targets", "monitoring"), [("targets-national", "monitoring-national"),
                                                     ("targets-national", ""), ("", "")])
def test_a_new_campaign_collects_the_forms_it_names(cw, targets, monitoring):
    from jixiao.web.packages.models import Campaign

    _post(cw, targets_form=targets, monitoring_form=monitoring)
    c = Campaign.objects.get(bureau=cw.bureau, year=2025)
    assert (c.targets_form, c.monitoring_form) == (targets or None, monitoring or None)
    assert (c.form_of("targets") is not None) is bool(targets)
    assert (c.form_of("monitoring") is not None) is bool(monitoring)


@pytest.mark.parametrize("field", ["targets_form", "monitoring_form"])
def test_a_form_of_another_step_is_refused(cw, field):
    from jixiao.web.packages.models import Campaign

    wrong = "monitoring-national" if field == "targets_form" else "targets-national"
    page = _post(cw, **{field: wrong}).content.decode()
    assert f"表样“{wrong}”不是" in page
    assert not Campaign.objects.filter(bureau=cw.bureau, year=2025).exists()
