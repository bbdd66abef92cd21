"""`jixiao manage adduser NAME --role ROLE [--unit 单位名称 | --bureau 财政局名称]`: create an account
from the command line (the first 系统管理员 of a production install). The password is read from
JIXIAO_NEW_PASSWORD or asked for, and must pass the password rules."""

from __future__ import annotations

import getpass
import os

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ...models import Bureau, Role, Unit, User


class Command(BaseCommand):
    help = "创建用户（例如生产环境的第一个系统管理员）"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=[r.value for r in Role])
        parser.add_argument("--full-name", default="")
        parser.add_argument("--unit", help="所属预算单位名称（填表人、单位负责人）")
        parser.add_argument("--bureau", help="所属财政局名称（财政局审核人；不存在时创建）")

    def handle(self, *args, username, role, full_name, unit, bureau, **options):
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(f"用户“{username}”已存在")
        scope = {}
        if role in (Role.CLERK, Role.UNIT_HEAD):
            found = Unit.objects.filter(name=unit).first() if unit else None
            if found is None:
                raise CommandError("填表人和单位负责人须用 --unit 指定已有的预算单位名称")
            scope = {"unit": found}
        elif role == Role.REVIEWER:
            if not bureau:
                raise CommandError("财政局审核人须用 --bureau 指定财政局名称")
            scope = {"bureau": Bureau.objects.get_or_create(name=bureau)[0]}
        password = os.environ.get("JIXIAO_NEW_PASSWORD") or getpass.getpass("密码：")
        # The password was chosen at the console: the user replaces it at the first login.
        user = User(username=username, full_name=full_name, role=role, must_change_password=True, **scope)
        try:
            password_validation.validate_password(password, user)
        except ValidationError as exc:
            raise CommandError("密码不符合要求：" + "；".join(exc.messages)) from exc
        user.set_password(password)
        with transaction.atomic():
            user.full_clean()
            user.save()
            from ....audit.log import record

            record(None, "user_created", obj=user, user=None, username="(命令行)",
                   detail={"username": username, "role": role})
        self.stdout.write(f"已创建用户“{username}”（{user.role_label}）；首次登录后须先修改密码。")
