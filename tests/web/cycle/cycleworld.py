"""A bureau whose 2024 campaign collects the whole cycle (targets, monitoring, the national
self-evaluation), two of its units, and the steps a unit and the bureau take, as functions a
test (or the browser story) calls in order."""

from __future__ import annotations

from decimal import Decimal

from webworld import PASSWORD, user  # noqa: F401 (PASSWORD: the browser stories log in with it)

from jixiao.forms.skeleton import empty_package
from jixiao.model import IndicatorValue
from jixiao.model import Package as DocPackage

PROJECT = "城建档案数字化项目"
INDICATOR = "档案数字化数量"


def targets_document(unit_name: str, year: int = 2024, *, target: str = "≥5000卷") -> dict:
    """A filled 项目支出绩效目标申报表 (one project, one quantity indicator) and its 整体 table."""
    from jixiao.web.packages.checking import canonical

    t = DocPackage.model_validate(empty_package("targets-national", unit_name=unit_name, year=year, projects=1))
    p = t.projects[0]
    p.project_name, p.department, p.implementing_unit, p.project_type = PROJECT, "岳阳楼区住房和城乡建设局", unit_name, "新增"
    p.funds.initial_budget, p.funds.mid_term_budget = Decimal("120"), Decimal("300")
    p.current_appropriation.initial_budget = Decimal("120")
    p.goals.expected, p.goals.mid_term = "完成馆藏档案数字化5000卷", "三年完成馆藏档案全部数字化"
    ind = p.indicators[0].children[0].indicators[0]
    ind.name, ind.target, ind.weight = INDICATOR, IndicatorValue.model_validate(target), Decimal("20")
    ind.mid_term_target = IndicatorValue.model_validate("≥15000卷")
    if t.overall is not None:
        t.overall.unit_name = unit_name
        t.overall.tasks_total.total = Decimal("120")
    return canonical(t)


class CycleWorld:
    def __init__(self):
        from jixiao.web.accounts.models import Bureau, Role, Unit
        from jixiao.web.packages.models import Campaign

        self.bureau = Bureau.objects.create(name="岳阳楼区财政局")
        self.unit = Unit.objects.create(bureau=self.bureau, name="岳阳楼区城市建设档案馆")
        self.other_unit = Unit.objects.create(bureau=self.bureau, name="岳阳楼区园林绿化服务中心")
        self.campaign = Campaign.objects.create(
            bureau=self.bureau, year=2024, title="2024年度全国通用表自评", form="national", rule_pack="national",
            targets_form="targets-national", monitoring_form="monitoring-national")
        self.campaign.units.set([self.unit, self.other_unit])

        self.clerk = user("dangan-clerk", Role.CLERK, unit=self.unit)
        self.head = user("dangan-head", Role.UNIT_HEAD, unit=self.unit)
        self.other_clerk = user("yuanlin-clerk", Role.CLERK, unit=self.other_unit)
        self.reviewer = user("reviewer", Role.REVIEWER, bureau=self.bureau)

    # ---------------------------------------------------------------- steps

    def start(self, stage: str):
        from jixiao.web.packages.actions import do_create_package

        return do_create_package(campaign=self.campaign, unit=self.unit, actor=self.clerk, stage=stage)

    def save(self, pkg, document: dict):
        from jixiao.web.packages.actions import do_save

        pkg.refresh_from_db()
        return do_save(package_id=pkg.pk, actor=self.clerk, document=document, base_number=pkg.head_number)

    def submit(self, pkg):
        """填表人 explains whatever error-level findings remain (a test document is not a full
        table), asks the head to submit, the head submits."""
        from jixiao.web.packages.actions import do_explain, do_prepare, do_submit
        from jixiao.web.packages.checking import evaluate_revision, finding_key, unexplained_errors
        from jixiao.web.packages.cycle_context import cycle_context_for

        pkg.refresh_from_db()
        ev = evaluate_revision(pkg.head, pkg.rule_pack, cycle=cycle_context_for(pkg))
        missing = unexplained_errors(ev.result, pkg.head.explanations)
        if missing:
            do_explain(package_id=pkg.pk, actor=self.clerk, base_number=pkg.head_number,
                       explanations={**pkg.head.explanations, **{finding_key(f): "测试材料，已知" for f in missing}})
        do_prepare(package_id=pkg.pk, actor=self.clerk)
        do_submit(package_id=pkg.pk, actor=self.head)
        pkg.refresh_from_db()
        return pkg

    def approve(self, pkg, comment: str = ""):
        from jixiao.web.bureau.actions import do_review

        do_review(package_id=pkg.pk, actor=self.reviewer, decision="accept", comment=comment)
        pkg.refresh_from_db()
        return pkg

    def approved_targets(self, target: str = "≥5000卷"):
        pkg = self.start("targets")
        self.save(pkg, targets_document(self.unit.name, target=target))
        return self.approve(self.submit(pkg))
