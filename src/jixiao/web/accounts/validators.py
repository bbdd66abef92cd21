"""Password rules, every message in Chinese.

Django's own validators are kept for what they check, with our wording: Django 5.2's
zh-hans catalogue misses the new “too short” text, so it would appear in English."""

from __future__ import annotations

import re

from django.contrib.auth import password_validation as dj
from django.core.exceptions import ValidationError

_CLASSES = (r"[a-z]", r"[A-Z]", r"[0-9]", r"[^a-zA-Z0-9]")


class MinimumLengthValidator(dj.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return f"密码太短，至少须{self.min_length}位。"

    def get_help_text(self) -> str:
        return f"密码至少{self.min_length}位。"


class UserAttributeSimilarityValidator(dj.UserAttributeSimilarityValidator):
    def get_error_message(self) -> str:
        return "密码与%(verbose_name)s过于相近。"

    def get_help_text(self) -> str:
        return "密码不能与用户名、姓名等个人信息相近。"


class CommonPasswordValidator(dj.CommonPasswordValidator):
    def get_error_message(self) -> str:
        return "密码过于常见，请换一个。"

    def get_help_text(self) -> str:
        return "密码不能是常见密码。"


class NumericPasswordValidator(dj.NumericPasswordValidator):
    def get_error_message(self) -> str:
        return "密码不能全是数字。"

    def get_help_text(self) -> str:
        return "密码不能全是数字。"


class CharacterClassValidator:
    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        present = sum(1 for pattern in _CLASSES if re.search(pattern, password))
        if present < self.min_classes:
            raise ValidationError(
                f"密码须至少包含小写字母、大写字母、数字、符号中的{self.min_classes}类。",
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return f"密码须至少包含小写字母、大写字母、数字、符号中的{self.min_classes}类。"


class PasswordHistoryValidator:
    """No reuse of the last `count` passwords (the current one included). Every password set on a
    saved user is remembered, as its hash, through Django's password_changed() hook."""

    def __init__(self, count: int = 5):
        self.count = count

    def _recent(self, user):
        from .models import PasswordHistory

        return PasswordHistory.objects.filter(user=user).order_by("-at", "-id")

    def validate(self, password: str, user=None) -> None:
        if user is None or user.pk is None:
            return
        from django.contrib.auth.hashers import check_password

        hashes = list(self._recent(user).values_list("password", flat=True)[: self.count])
        if user.password and user.password not in hashes:
            hashes = [user.password, *hashes][: self.count]
        if any(check_password(password, encoded) for encoded in hashes):
            raise ValidationError(
                f"不能使用最近{self.count}次用过的密码（含当前密码），请换一个新密码。", code="password_reused")

    def password_changed(self, password: str, user=None) -> None:
        if user is None or user.pk is None or not user.password:
            return
        from .models import PasswordHistory

        PasswordHistory.objects.create(user=user, password=user.password)
        keep = list(self._recent(user).values_list("pk", flat=True)[: self.count])
        PasswordHistory.objects.filter(user=user).exclude(pk__in=keep).delete()

    def get_help_text(self) -> str:
        return f"不能使用最近{self.count}次用过的密码。"
