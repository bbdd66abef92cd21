"""Import findings: what a reader could not place, with where it was.

A reader never drops content silently: an unknown row, an unreadable cell or a stray
paragraph becomes an ``ImportIssue`` and the import still yields everything it could read.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from ..model import Package


@dataclass(frozen=True, slots=True)
class ImportIssue:
    where: str  # '基础数据表 第1张表格第12行', '自评报告 第3段'
    message: str  # one Chinese sentence
    source: str | None = None  # the file, when a package comes as several

    @property
    def placed(self) -> bool:
        """A note on a value that was read (a guess, a conversion), not content left out."""
        return "读入" in self.message or "读作" in self.message

    def describe(self) -> str:
        prefix = f"{self.source}：" if self.source else ""
        return f"{prefix}{self.where}：{self.message}"

    def to_dict(self) -> dict[str, str | None]:
        return asdict(self)


@dataclass(slots=True)
class ImportResult:
    package: Package
    issues: list[ImportIssue] = field(default_factory=list)
