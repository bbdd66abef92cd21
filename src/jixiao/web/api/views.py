"""The user's own API tokens on the web: create (the token is shown once) and revoke."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ..packages.access import deny
from . import tokens as store
from .models import ApiToken, Scope


def tokens_page_context(request, created: str | None = None) -> dict:
    return {"tokens": ApiToken.objects.filter(user=request.user), "scopes": Scope.choices, "created": created,
            "max_active": store.MAX_ACTIVE_PER_USER}


def tokens(request):
    """Any logged-in user: their tokens; a POST creates one and shows its text this once."""
    created = None
    if request.method == "POST":
        try:
            _, created = store.issue(user=request.user, name=request.POST.get("name", ""),
                                      scope=request.POST.get("scope", ""), request=request)
        except store.TokenError as exc:
            messages.error(request, str(exc))
            return redirect("accounts:api_tokens")
    response = render(request, "accounts/api_tokens.html", tokens_page_context(request, created))
    if created:
        response["Cache-Control"] = "no-store"  # the token's only showing must not stay in a cache
    return response


@require_POST
def revoke(request, token_id: int):
    try:
        token = store.revoke(user=request.user, token_id=token_id, request=request)
    except store.TokenError:
        deny(request, f"无权操作令牌#{token_id}", status=404)
    messages.success(request, f"令牌“{token.name}”已吊销，使用它的调用将被拒绝。")
    return redirect("accounts:api_tokens")
