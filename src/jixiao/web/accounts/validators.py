"""Password rule beyond Django's: at least three of four character classes."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

_CLASSES = (r"[a-z]", r"[A-Z]", r"[0-9]", r"[^a-zA-Z0-9]")


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
