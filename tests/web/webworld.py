"""Shared test data for the web tests: a small world of bureaus, units, users and a package."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "examples" / "2023-yueyanglou-chengguan-ducha.json"
SECOND = ROOT / "examples" / "2023-furong-shequ-weisheng.json"
PASSWORD = "Test-Pass-2023x"


def seed_document() -> dict:
    return json.loads(SEED.read_text(encoding="utf-8"))


def second_document() -> dict:
    return json.loads(SECOND.read_text(encoding="utf-8"))


def user(name: str, role: str, **scope):
    """An account named ``name`` with the tests' password; ``scope``: its unit or bureau."""
    from jixiao.web.accounts.models import User

    u = User(username=name, full_name=name, role=role, **scope)
    u.set_password(PASSWORD)
    u.save()
    return u


class World:
    """Two units under one bureau, a third bureau's unit, one user per role, and a package
    for unit A holding the seed (revision 2) — enough for every authorisation question."""

    def __init__(self):
        from jixiao.web.accounts.models import Bureau, Role, Unit
        from jixiao.web.packages import actions
        from jixiao.web.packages.checking import canonical, evaluate
        from jixiao.web.packages.models import Campaign

        self.bureau = Bureau.objects.create(name="岳阳楼区财政局")
        self.other_bureau = Bureau.objects.create(name="君山区财政局")
        self.unit_a = Unit.objects.create(bureau=self.bureau, name="岳阳市岳阳楼区城市管理督查考评中心")
        self.unit_b = Unit.objects.create(bureau=self.bureau, name="岳阳楼区机关事务服务中心")
        self.unit_c = Unit.objects.create(bureau=self.other_bureau, name="君山区档案馆")
        self.campaign = Campaign.objects.create(bureau=self.bureau, year=2023, title="2023年度自评")
        self.campaign.units.set([self.unit_a, self.unit_b])
        self.other_campaign = Campaign.objects.create(bureau=self.other_bureau, year=2023, title="君山2023")
        self.other_campaign.units.set([self.unit_c])

        self.clerk = user("clerk-a", Role.CLERK, unit=self.unit_a)
        self.clerk2 = user("clerk-a2", Role.CLERK, unit=self.unit_a)
        self.head = user("head-a", Role.UNIT_HEAD, unit=self.unit_a)
        self.clerk_b = user("clerk-b", Role.CLERK, unit=self.unit_b)
        self.head_b = user("head-b", Role.UNIT_HEAD, unit=self.unit_b)
        self.reviewer = user("reviewer", Role.REVIEWER, bureau=self.bureau)
        self.other_reviewer = user("reviewer-js", Role.REVIEWER, bureau=self.other_bureau)
        self.sysadmin = user("sysadmin", Role.SYSADMIN)
        self.secadmin = user("secadmin", Role.SECADMIN)
        self.auditor = user("auditor", Role.AUDITOR)
        self.package = actions.do_create_package(campaign=self.campaign, unit=self.unit_a, actor=self.clerk)
        doc = canonical(evaluate(seed_document(), "hunan-2023").package)
        actions.do_save(package_id=self.package.pk, actor=self.clerk, document=doc, base_number=1, source="import")
        self.package.refresh_from_db()

    def users(self):
        return {
            "clerk": self.clerk, "head": self.head, "clerk_b": self.clerk_b, "head_b": self.head_b,
            "reviewer": self.reviewer, "other_reviewer": self.other_reviewer, "sysadmin": self.sysadmin,
            "secadmin": self.secadmin, "auditor": self.auditor,
        }



def client_for(user):
    from django.test import Client

    c = Client()
    c.force_login(user)
    return c
