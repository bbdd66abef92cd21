"""Helpers of the API tests: tokens for the world's users and a client that sends them."""

from __future__ import annotations

import json

from django.test import Client


def token_for(user, scope: str = "write", name: str = "测试") -> str:
    from jixiao.web.api import tokens

    return tokens.issue(user=user, name=name, scope=scope)[1]


class ApiClient:
    """Django's test client with the bearer token on every call; JSON bodies by default."""

    def __init__(self, token: str | None):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, **params):
        return self.client.get(path, params, headers=self.headers)

    def post(self, path: str, body=None, *, files: dict | None = None, data: dict | None = None, query: str = ""):
        url = f"{path}?{query}" if query else path
        if files is not None:
            return self.client.post(url, {**(data or {}), **files}, headers=self.headers)
        return self.client.post(url, json.dumps(body if body is not None else {}, ensure_ascii=False),
                                content_type="application/json", headers=self.headers)


def api_client(user, scope: str = "write") -> ApiClient:
    return ApiClient(token_for(user, scope))
