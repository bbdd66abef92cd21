"""Uploaded files as the web app shows them to people (no Django here).

One upload limit for the whole web app, the readers' messages cleaned for the page (the file
named as the user knows it, never the server's path; no English library text). (A JSON whose
``schema_version`` is the number 1 is version "1" in the core reader itself, jixiao.io.json_io.)"""

from __future__ import annotations

import re
from pathlib import Path

SCHEMA_VERSION = "1"  # jixiao.model.SCHEMA_VERSION (a test keeps them equal; no pydantic import here)
# The one upload limit of the web app (JIXIAO_MAX_UPLOAD_BYTES overrides it): a single package
# file uploaded by a unit, a unit list, or one file inside a bureau's batch zip.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024

_ENGLISH_ASIDE = re.compile(r"（[A-Za-z][^（）\u3400-\u9fff]*\s[^（）\u3400-\u9fff]*）")


def tidy_reason(text: str, shown: str, *paths: str | Path) -> str:
    """A reader's message for the page: each of ``paths`` (longest first, full paths before bare
    names) becomes ``shown``; English asides of libraries, e.g. “（File is not a zip file）”, go."""
    for p in sorted({str(p) for p in paths if str(p)}, key=len, reverse=True):
        text = text.replace(p, shown)
    text = _ENGLISH_ASIDE.sub("", text)
    return text
