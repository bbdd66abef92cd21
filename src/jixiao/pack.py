"""Rule packs as data: which rules run, severities, tolerances, thresholds, weights, the scoring
variant, grade bands and every message (``src/jixiao/rules/packs/<name>.yaml``).

Read here, below both the rule engine and the scorer, so neither imports the other to get at a
pack; ``jixiao.rules.load_pack`` adds the check that every rule id names a registered check.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .errors import PackError

DEFAULT_PACK = "hunan-2023"


@dataclass(frozen=True)
class Pack:
    id: str
    name: str
    data: dict[str, Any]
    # number() by its keys: tolerances are asked for on every row of every table. A pack's data
    # is read-only once loaded (a variant is a new Pack), so what was read stays true.
    _numbers: dict[tuple[str, ...], Decimal] = field(default_factory=dict, init=False, repr=False, compare=False)
    # What the rule engine works out of the pack once (the checks it runs), by the engine's key.
    memo: dict[Any, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def rules(self) -> dict[str, dict[str, Any]]:
        return self.data["rules"]

    def title(self, rule_id: str) -> str:
        """The rule's short Chinese name (its `title` in the pack); the id when the pack has none."""
        conf = self.rules.get(rule_id)
        return str(conf.get("title") or rule_id) if isinstance(conf, dict) else rule_id

    def number(self, *keys: str) -> Decimal:
        found = self._numbers.get(keys)
        if found is None:
            node: Any = self.data
            for key in keys:
                node = node[key]
            found = self._numbers[keys] = Decimal(str(node))
        return found

    def get(self, *keys: str, default: Any = None) -> Any:
        node: Any = self.data
        for key in keys:
            if not isinstance(node, dict) or key not in node:
                return default
            node = node[key]
        return node


@cache
def read_pack(name_or_path: str = DEFAULT_PACK) -> Pack:
    """A pack by name (``rules/packs/<name>.yaml``) or by the path of a .yaml file."""
    path = Path(name_or_path)
    try:
        if path.suffix in {".yaml", ".yml"} and path.exists():
            text = path.read_text(encoding="utf-8")
        elif (path.suffix or len(path.parts) > 1) and path.is_file():  # a file, not a pack's name
            raise PackError(f"规则包应为 YAML 文件（.yaml 或 .yml）：{name_or_path}")
        else:
            res = resources.files("jixiao.rules").joinpath("packs", f"{name_or_path}.yaml")
            if not res.is_file():
                raise PackError(f"找不到规则包“{name_or_path}”")
            text = res.read_text(encoding="utf-8")
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except UnicodeDecodeError as exc:
        raise PackError(f"规则包“{name_or_path}”不是 UTF-8 编码的文本") from exc
    except OSError as exc:
        raise PackError(f"无法读取规则包“{name_or_path}”（{exc.strerror or '读取失败'}）") from exc
    except yaml.YAMLError as exc:
        # one Chinese line: where the parser stopped, not its English account of why
        mark = getattr(exc, "problem_mark", None)
        where = f"第{mark.line + 1}行第{mark.column + 1}列附近" if mark is not None else ""
        raise PackError(f"规则包“{name_or_path}”不是有效的 YAML：{where}有语法错误") from exc
    if not isinstance(data, dict) or "rules" not in data:
        raise PackError(f"规则包“{name_or_path}”缺少 rules 段")
    return Pack(id=data.get("id", name_or_path), name=data.get("name", name_or_path), data=data)


def pack_for(form: str | None) -> Pack:
    """The rule pack a package on ``form`` is checked by when no pack is named: the pack of the
    same name as its form definition (each form ships one), else the default pack."""
    if form and _ships_pack(form):
        return read_pack(form)
    return read_pack(DEFAULT_PACK)


@lru_cache(maxsize=256)  # bounded: the name comes from the package, which anyone may write
def _ships_pack(form: str) -> bool:
    # Asked for every package checked or saved: the packs shipped do not change while running,
    # and asking importlib.resources costs 14 µs each time.
    return resources.files("jixiao.rules").joinpath("packs", f"{form}.yaml").is_file()
