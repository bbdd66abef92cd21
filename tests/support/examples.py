"""The example packages, loaded fresh for each test so mutations never leak."""

from __future__ import annotations

from pathlib import Path

from jixiao.model import Package

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SEED_PATH = EXAMPLES / "2023-yueyanglou-chengguan-ducha.json"
CLEAN_PATH = EXAMPLES / "2023-furong-shequ-weisheng.json"

_cache: dict[Path, str] = {}


def load(path: Path) -> Package:
    if path not in _cache:
        _cache[path] = path.read_text(encoding="utf-8")
    return Package.model_validate_json(_cache[path])


def seed() -> Package:
    return load(SEED_PATH)


def clean() -> Package:
    """The invented unit: a package on which the default pack finds nothing."""
    return load(CLEAN_PATH)
