"""Text as the forms compare it: full/half width folded, labels without spaces or printed weights.

The lowest layer of the core: the model, the form definitions and the readers all compare text
through these, and this module imports nothing of jixiao.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Characters NFKC leaves alone but that mean the same thing in these forms.
_EXTRA_FOLD = str.maketrans(
    {"≧": "≥", "≦": "≤", "＞": ">", "＜": "<", "﹪": "%", "－": "-", "—": "-", "–": "-", "\u3000": " "}
)
_PLACEHOLDER_RE = re.compile(r"^[.…。·\s]+$")
WEIGHT_IN_LABEL = re.compile(r"[(（]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]")


@lru_cache(maxsize=16384)
def fold(text: str) -> str:
    """Full-width to half-width (NFKC) plus the comparison signs NFKC keeps.

    Memoised: the same labels and cells are folded by every check of every package."""
    return unicodedata.normalize("NFKC", text).translate(_EXTRA_FOLD)


_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=16384)
def squeeze(text: str) -> str:
    """``text`` without any whitespace: an indicator or project name as a message quotes it.

    Memoised: the checks, the scorer and the report's view quote the same names many times."""
    return _SPACES.sub("", text)


def is_placeholder(text: str | None) -> bool:
    """'……' and '......' rows of a template are not data."""
    return bool(text) and bool(_PLACEHOLDER_RE.match(text.strip()))


@lru_cache(maxsize=8192)
def clean_label(label: str) -> str:
    """A label as compared: half-width, no spaces or line breaks, no '(50分)'."""
    return squeeze(WEIGHT_IN_LABEL.sub("", fold(label)))
