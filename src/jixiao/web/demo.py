"""The demo `jixiao serve` loads into an empty database: a bureau, its units (the seed's among
them), a 2023 campaign and packages in every state, with one login per role."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path

from django.db import transaction

from jixiao.forms import form_def, part_name
from jixiao.pack import read_pack

from .accounts.models import Bureau, Role, Unit, User
from .packages import actions
from .packages.checking import canonical, evaluate
from .packages.models import Campaign

DEMO_PASSWORD = "Jixiao@2023demo"
EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
SEED = "2023-yueyanglou-chengguan-ducha.json"
SECOND = "2023-furong-shequ-weisheng.json"
# A second campaign (the next year), on the national forms: project and 部门整体 tables that stand alone.
NATIONAL = "2023-national-project-and-overall.json"
NATIONAL_PACK = "national"

# (username, full name, role, unit key or None); unit keys are below.
PEOPLE = [
    ("ducha-tianbiao", "刘莉", Role.CLERK, "ducha"),
    ("ducha-fuzeren", "王建国", Role.UNIT_HEAD, "ducha"),
    ("weisheng-tianbiao", "陈静", Role.CLERK, "weisheng"),
    ("weisheng-fuzeren", "李明", Role.UNIT_HEAD, "weisheng"),
    ("jiguan-tianbiao", "张敏", Role.CLERK, "jiguan"),
    ("jiguan-fuzeren", "赵强", Role.UNIT_HEAD, "jiguan"),
    ("yuanlin-tianbiao", "周红", Role.CLERK, "yuanlin"),
    ("yuanlin-fuzeren", "吴刚", Role.UNIT_HEAD, "yuanlin"),
    ("dangan-tianbiao", "郑丽", Role.CLERK, "dangan"),
    ("dangan-fuzeren", "钱伟", Role.UNIT_HEAD, "dangan"),
    ("caizheng-shenhe", "孙敏（绩效科）", Role.REVIEWER, None),
    ("xitong-admin", "系统管理员", Role.SYSADMIN, None),
    ("anquan-admin", "安全管理员", Role.SECADMIN, None),
    ("shenji-admin", "审计管理员", Role.AUDITOR, None),
]


def _example(name: str) -> dict | None:
    path = EXAMPLES / name
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def _renamed(doc: dict, unit: str) -> dict:
    """The second example under another unit's name (every place the name is written)."""
    doc = copy.deepcopy(doc)
    old = doc["unit_name"]
    text = json.dumps(doc, ensure_ascii=False).replace(old, unit)
    return json.loads(text)


# 档案馆's targets, one per 二级指标, keyed by its place in the form's tree (一级 index, 二级 index:
# 数量, 质量, 时效, 成本; 社会效益; 服务对象满意度) → name, 年度指标值, 分值, 中期指标值. Every level
# the targets pack requires is filled and the project's 分值 add up to 100, so the table passes.
_DEMO_PROJECT_TARGETS = {
    (0, 0): ("档案数字化数量", "≥5000卷", "30", "≥15000卷"),
    (0, 1): ("数字化成果验收合格率", "≥98%", "20", "≥98%"),
    (0, 2): ("年度任务完成时间", "≤12月", "10", "≤12月"),
    (0, 3): ("每卷数字化成本", "≤240元", "10", "≤240元"),
    (1, 1): ("数字档案在线查询服务人次", "≥3000人次", "20", "≥10000人次"),
    (2, 0): ("查档群众满意度", "≥90%", "10", "≥90%"),
}
_DEMO_OVERALL_TARGETS = {
    (0, 0): ("接收进馆城建档案", "≥800卷"),
    (0, 1): ("档案保管安全事故", "=0起"),
    (0, 2): ("查档申请办结时间", "≤3个工作日"),
    (0, 3): ("馆库运行维护费用", "≤45万元"),
    (1, 1): ("档案利用服务人次", "≥5000人次"),
    (2, 0): ("查档群众满意度", "≥90%"),
}


def _fill_targets(tree: list, by_place: dict, with_weights: bool) -> None:
    from decimal import Decimal

    from jixiao.model import IndicatorValue

    for (i, j), values in by_place.items():
        ind = tree[i].children[j].indicators[0]
        ind.name, ind.target = values[0], IndicatorValue.model_validate(values[1])
        if with_weights:
            ind.weight, ind.mid_term_target = Decimal(values[2]), IndicatorValue.model_validate(values[3])


def demo_targets(unit_name: str, year: int) -> dict:
    """档案馆's 绩效目标申报表: the 整体 table and one project, every required level filled and signed."""
    from decimal import Decimal

    from jixiao.forms.skeleton import empty_package
    from jixiao.model import Package as DocPackage
    from jixiao.model import Signature

    names = {username: full_name for username, full_name, _, _ in PEOPLE}  # the demo's own 档案馆 people
    signed = {"unit_head": names["dangan-fuzeren"], "filled_by": names["dangan-tianbiao"], "phone": "0730-8221234",
              "date": f"{year - 1}年10月20日"}
    t = DocPackage.model_validate(empty_package("targets-national", unit_name=unit_name, year=year, projects=1))
    p = t.projects[0]
    p.project_name, p.department, p.implementing_unit, p.project_type = (
        "城建档案数字化项目", "岳阳楼区住房和城乡建设局", unit_name, "新增")
    p.funds.initial_budget, p.funds.mid_term_budget = Decimal("120"), Decimal("300")
    p.current_appropriation.initial_budget = Decimal("120")
    p.goals.expected, p.goals.mid_term = "完成馆藏档案数字化5000卷，数字档案可在线查询", "三年完成馆藏档案全部数字化"
    _fill_targets(p.indicators, _DEMO_PROJECT_TARGETS, with_weights=True)
    p.signature = Signature(**signed)
    if t.overall is not None:
        t.overall.unit_name = unit_name
        t.overall.goals.expected = "保管好城建档案，完成馆藏档案数字化5000卷"
        t.overall.tasks_total.total = Decimal("120")
        _fill_targets(t.overall.indicators, _DEMO_OVERALL_TARGETS, with_weights=False)
        t.overall.signature = Signature(**signed)
    return canonical(t)


def _whole_year(campaign: Campaign, unit: Unit, users: dict) -> None:
    """档案馆 in the campaign of the whole cycle: targets submitted and approved by the bureau, and
    a monitoring table, prefilled from them, whose project lags (1-7月 25%) and may miss its target."""
    from .bureau.actions import do_review
    from .bureau.models import Decision

    clerk, head = users["dangan-tianbiao"], users["dangan-fuzeren"]

    def submit(pkg):
        actions.do_prepare(package_id=pkg.pk, actor=clerk)
        actions.do_submit(package_id=pkg.pk, actor=head)

    targets = actions.do_create_package(campaign=campaign, unit=unit, actor=clerk, stage="targets")
    actions.do_save(package_id=targets.pk, actor=clerk, document=demo_targets(unit.name, campaign.year),
                    base_number=1, source="demo", note="演示数据")
    submit(targets)
    do_review(package_id=targets.pk, actor=users["caizheng-shenhe"], decision=Decision.ACCEPT,
              comment="目标明确、指标量化，予以批复。")
    monitoring = actions.do_create_package(campaign=campaign, unit=unit, actor=clerk, stage="monitoring")
    doc = copy.deepcopy(monitoring.head.document)
    p = doc["projects"][0]
    p["funds"]["executed"] = "30"
    ind = p["indicators"][0]["children"][0]["indicators"][0]
    ind.update(actual="1800卷", forecast="4200卷", likelihood="有可能", causes=["经费保障", "硬件条件保障"],
               remark="扫描设备采购延迟，下半年加快进度")
    actions.do_save(package_id=monitoring.pk, actor=clerk, document=doc, base_number=1, source="demo", note="演示数据")
    submit(monitoring)


def demo_logins() -> list[tuple[str, str, str]]:
    names = [p[0] for p in PEOPLE]
    found = User.objects.filter(username__in=names, is_active=True).select_related("unit", "bureau")
    by_name = {u.username: u for u in found}
    return [(n, by_name[n].role_label, by_name[n].scope_label or "—") for n in names if n in by_name]


def demo_present() -> bool:
    return User.objects.exists()


@transaction.atomic
def load_demo() -> list[tuple[str, str, str]]:
    """Create the demo; return (username, role, scope) of its logins."""
    bureau = Bureau.objects.create(name="岳阳楼区财政局")
    seed, second = _example(SEED), _example(SECOND)
    unit_names = {
        "ducha": seed["unit_name"] if seed else "岳阳市岳阳楼区城市管理督查考评中心",
        "weisheng": second["unit_name"] if second else "湘江市芙蓉区社区卫生服务管理中心",
        "jiguan": "岳阳楼区机关事务服务中心",
        "yuanlin": "岳阳楼区园林绿化服务中心",
        "dangan": "岳阳楼区城市建设档案馆",
    }
    units = {k: Unit.objects.create(bureau=bureau, name=v) for k, v in unit_names.items()}
    campaign = Campaign.objects.create(
        bureau=bureau, year=2023, title="2023年度预算单位整体支出绩效自评", deadline=date(2024, 5, 31),
    )
    campaign.units.set(units.values())
    users = {}
    for username, full_name, role, unit_key in PEOPLE:
        scope = {"unit": units[unit_key]} if unit_key else ({"bureau": bureau} if role == Role.REVIEWER else {})
        user = User(username=username, full_name=full_name, role=role, **scope)
        user.set_password(DEMO_PASSWORD)
        user.save()
        users[username] = user

    def package(unit_key: str, doc: dict | None, on=campaign):
        clerk = users[f"{unit_key}-tianbiao"]
        pkg = actions.do_create_package(campaign=on, unit=units[unit_key], actor=clerk)
        if doc is not None:
            ev = evaluate(doc, on.rule_pack)
            actions.do_save(package_id=pkg.pk, actor=clerk, document=canonical(ev.package),
                            base_number=pkg.head_number, source="demo", note="演示数据")
        pkg.refresh_from_db()
        return pkg

    # 填报中: the seed package as its unit wrote it, findings and all.
    package("ducha", seed)
    if second:
        # 已提交: the second example, clean.
        p = package("weisheng", second)
        actions.do_prepare(package_id=p.pk, actor=users["weisheng-tianbiao"])
        actions.do_submit(package_id=p.pk, actor=users["weisheng-fuzeren"])
        # 已退回修改: submitted, then returned by the bureau with a reason.
        p = package("jiguan", _renamed(second, unit_names["jiguan"]))
        actions.do_prepare(package_id=p.pk, actor=users["jiguan-tianbiao"])
        actions.do_submit(package_id=p.pk, actor=users["jiguan-fuzeren"])
        from .bureau.actions import do_review
        from .bureau.models import Decision

        do_review(package_id=p.pk, actor=users["caizheng-shenhe"], decision=Decision.RETURN,
                  comment=f"{part_name('project')}的偏差原因分析过于简略，请补充后重新提交。")
        # 待负责人提交: prepared by the clerk.
        p = package("yuanlin", _renamed(second, unit_names["yuanlin"]))
        actions.do_prepare(package_id=p.pk, actor=users["yuanlin-tianbiao"])
    # 档案馆 has not started: its clerk sees the campaign with a 开始填报 button.
    national = _example(NATIONAL)
    if national:
        form = read_pack(NATIONAL_PACK).get("form")
        other = Campaign.objects.create(
            bureau=bureau, year=2024, title=f"2024年度绩效自评（{form_def(form)['name']}）", deadline=date(2025, 5, 31),
            rule_pack=NATIONAL_PACK, form=form, targets_form="targets-national", monitoring_form="monitoring-national",
        )
        other.units.set([units["jiguan"], units["dangan"]])
        # 填报中: a unit's 部门整体 and project tables on the national forms, renamed to the unit and
        # moved to the campaign's year (one campaign per bureau and year).
        doc = _renamed(national, unit_names["jiguan"])
        doc["projects"][0]["implementing_unit"] = unit_names["jiguan"]
        doc["fiscal_year"] = other.year
        package("jiguan", doc, on=other)
        _whole_year(other, units["dangan"], users)
    return [(u, Role(r).label, (unit_names[k] if k else ("岳阳楼区财政局" if r == Role.REVIEWER else "—")))
            for u, _, r, k in PEOPLE]
