"""The example client of docs/api.md runs against a live server: it checks a Word file and
uploads it as a revision (then retries with the same save_key); docs/api.md shows it verbatim."""

from __future__ import annotations

import importlib.util

import pytest
from webworld import ROOT, SEED, World

CLIENT = ROOT / "examples" / "api_client.py"


def _client_module():
    spec = importlib.util.spec_from_file_location("api_client", CLIENT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_docs_show_the_client_as_it_is():
    assert CLIENT.read_text(encoding="utf-8").strip() in (ROOT / "docs" / "api.md").read_text(encoding="utf-8")


@pytest.mark.django_db(transaction=True)
def test_the_example_client_checks_a_word_file_and_uploads_it(live_server, tmp_path, monkeypatch, capsys, settings):
    from apiworld import token_for
    from django.core.cache import cache

    from jixiao.io import load_package
    from jixiao.render import render_package
    from jixiao.web.packages.models import Package

    settings.JIXIAO_API_RATE = "10000/min"
    cache.clear()
    world = World()
    docx = next(f for f in render_package(load_package(SEED), tmp_path, formats=("docx",)).files if "全套" in f.name)
    monkeypatch.setenv("JIXIAO_TOKEN", token_for(world.clerk))
    code = _client_module().main([live_server.url, str(docx), "--package", str(world.package.pk)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "错误7条" in out and "存为第3版（基于第2版）" in out and "重试同一上传：第3版，repeated=True" in out
    assert Package.objects.get(pk=world.package.pk).head_number == 3
