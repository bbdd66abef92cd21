"""Uploaded files as the web app shows them to people (no Django here).

One upload limit for the whole web app, the readers' messages cleaned for the page (the file
named as the user knows it, never the server's path; no English library text), and a JSON
whose ``schema_version`` is the number 1 accepted as the string "1"."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

SCHEMA_VERSION = "1"  # jixiao.model.SCHEMA_VERSION (a test keeps them equal; no pydantic import here)
# The one upload limit of the web app (JIXIAO_MAX_UPLOAD_BYTES overrides it): a single package
# file uploaded by a unit, a unit list, or one file inside a bureau's batch zip.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024

_ENGLISH_ASIDE = re.compile(r"（[A-Za-z][^（）\u3400-\u9fff]*\s[^（）\u3400-\u9fff]*）")
_JSON_TAIL = re.compile(r"不是有效的 JSON：(?P<tail>[\x00-\x7f]*)$")
_LINE_COL = re.compile(r"line (\d+) column (\d+)")
_VERSION_NUMBER = re.compile(rb'"schema_version"\s*:\s*[0-9][0-9.eE+-]*')


def tidy_reason(text: str, shown: str, *paths: str | Path) -> str:
    """A reader's message for the page: each of ``paths`` (longest first, full paths before bare
    names) becomes ``shown``; English asides of libraries, e.g. “（File is not a zip file）”, go."""
    for p in sorted({str(p) for p in paths if str(p)}, key=len, reverse=True):
        text = text.replace(p, shown)
    text = _ENGLISH_ASIDE.sub("", text)
    m = _JSON_TAIL.search(text)
    if m:
        where = _LINE_COL.search(m.group("tail"))
        hint = f"第{where.group(1)}行第{where.group(2)}列附近有语法错误" if where else "内容有语法错误"
        text = text[:m.start("tail")] + hint
    return text


def accept_numeric_schema_version(data: bytes) -> bytes:
    """A JSON package with ``"schema_version": 1`` (a number) means version "1": write it as the
    string, so the reader does not refuse it with “格式版本为“1”，本程序支持版本“1””. Only that
    token changes; every other byte (amounts as written) stays as uploaded."""
    try:
        doc = json.loads(data, parse_float=Decimal)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError, ValueError):
        return data
    version = doc.get("schema_version") if isinstance(doc, dict) else None
    if isinstance(version, bool) or not isinstance(version, (int, Decimal)) or str(int(version)) != SCHEMA_VERSION \
            or version != int(version):
        return data
    fixed = _VERSION_NUMBER.sub(b'"schema_version": "' + SCHEMA_VERSION.encode() + b'"', data, count=1)
    try:
        ok = json.loads(fixed, parse_float=Decimal).get("schema_version") == SCHEMA_VERSION
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError, ValueError):
        ok = False
    return fixed if ok else data
