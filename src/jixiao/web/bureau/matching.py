"""Which unit a file names. Names are compared normalised: full-width folded (NFKC), no
spaces or line breaks, brackets and dots unified, Latin letters lower-cased — so
“岳阳楼区 机关事务服务中心（本级）” and “岳阳楼区机关事务服务中心(本级)” are one unit."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Generic, TypeVar

from jixiao.forms import part_name
from jixiao.model import fold

T = TypeVar("T")
_DROP = re.compile(r"[\s\u3000·•・\-_—–.。,，、]+")
# A file name often carries more than the unit: '2023年度…绩效自评', '（盖章版）', '附件1'.


@cache
def _file_noise() -> re.Pattern[str]:
    """The year, annex number, part name (and what follows it) and version mark of a file name."""
    basic, report = (re.escape(part_name(key)) for key in ("basic", "report"))
    return re.compile(
        rf"^\d{{4}}年度?|^附件\d+|绩效自评.*$|整体支出.*$|{basic}.*$|{report}.*$|[(（][^)）]*版[)）]|[(（]盖章[)）]"
    )


def normalise(name: str | None) -> str:
    if not name:
        return ""
    text = fold(name).lower()
    text = text.replace("【", "(").replace("】", ")").replace("[", "(").replace("]", ")")
    return _DROP.sub("", text)


def name_from_file(stem: str) -> str:
    return normalise(_file_noise().sub("", fold(stem)))


class UnitIndex(Generic[T]):
    """Units by normalised name; two units normalising alike are ambiguous and match nothing."""

    def __init__(self, units: Iterable[T], name_of=lambda u: u.name):
        self._by: dict[str, T] = {}
        self.ambiguous: set[str] = set()
        for unit in units:
            key = normalise(name_of(unit))
            if key in self._by:
                self.ambiguous.add(key)
            self._by[key] = unit
        for key in self.ambiguous:
            self._by.pop(key, None)

    def add(self, unit: T, name: str) -> None:
        key = normalise(name)
        if key not in self.ambiguous:
            self._by[key] = unit

    def get(self, name: str | None) -> T | None:
        return self._by.get(normalise(name))

    def from_file(self, stem: str) -> T | None:
        key = name_from_file(stem)
        if key in self._by:
            return self._by[key]
        # The stem may carry extra words around the name: the longest unit name inside it wins.
        hits = [k for k in self._by if len(k) >= 4 and k in key]
        if not hits:
            return None
        best = max(hits, key=len)
        return self._by[best] if sum(1 for h in hits if len(h) == len(best)) == 1 else None
