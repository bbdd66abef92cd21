"""API tokens: one person's key for other systems, acting with exactly that person's rights."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Scope(models.TextChoices):
    READ = "read", "只读"
    WRITE = "write", "读写"


class ApiToken(models.Model):
    """Only a digest of the secret is kept: the token is shown once, when it is created.

    ``prefix`` (the public first part of the token) finds the row; the SHA-256 of the whole
    token is compared in constant time. A token is random (256 bits), so a fast digest is
    enough: there is nothing to guess from it, unlike a password."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField("名称", max_length=100)
    prefix = models.CharField(max_length=16, unique=True)
    digest = models.CharField(max_length=64)
    scope = models.CharField("权限", max_length=10, choices=Scope.choices, default=Scope.READ)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "API令牌"
        verbose_name_plural = "API令牌"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:  # the throttle keys on this: the token's id, never its secret
        return f"api-token-{self.pk}"

    @property
    def scope_label(self) -> str:
        return Scope(self.scope).label

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    @property
    def can_write(self) -> bool:
        return self.scope == Scope.WRITE
