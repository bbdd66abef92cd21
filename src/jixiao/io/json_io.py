"""Packages as JSON: the canonical form, with a schema version."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from pydantic import ValidationError

from ..model import SCHEMA_VERSION, Package
from . import MAX_JSON_BYTES, InputError, describe_validation_error


def read_json(path: Path) -> Package:
    try:
        size = path.stat().st_size
        if size == 0:
            raise InputError(f"文件为空：{path}")
        if size > MAX_JSON_BYTES:
            raise InputError(f"文件过大（{size // 1024 // 1024} MB，上限 {MAX_JSON_BYTES // 1024 // 1024} MB）：{path}")
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"无法读取文件：{path}（{exc.strerror}）") from exc
    return parse_json(raw, str(path))


def parse_json(raw: bytes | str, source: str = "JSON") -> Package:
    try:
        # Decimals, not floats: '1e400' stays what was written (and is refused on its cell as
        # out of range) instead of becoming Infinity; an integer of thousands of digits
        # would hit int()'s digit limit.
        data = json.loads(raw, parse_float=Decimal, parse_int=_int)
    except UnicodeDecodeError as exc:
        raise InputError(f"{source} 不是有效的 JSON：不是 UTF-8 编码的文本") from exc
    except json.JSONDecodeError as exc:
        raise InputError(f"{source} 不是有效的 JSON：第{exc.lineno}行第{exc.colno}列附近有语法错误") from exc
    except (ValueError, RecursionError) as exc:
        raise InputError(f"{source} 不是有效的 JSON（{type(exc).__name__}）") from exc
    if not isinstance(data, dict):
        raise InputError(f"{source} 不是绩效自评材料（顶层应为对象）")
    version = data.get("schema_version", SCHEMA_VERSION)
    if isinstance(version, int) and not isinstance(version, bool) and str(version) == SCHEMA_VERSION:
        version = data["schema_version"] = SCHEMA_VERSION  # 1 written as a number means version "1"
    if version != SCHEMA_VERSION:
        raise InputError(f"{source} 的格式版本为“{version}”，本程序支持版本“{SCHEMA_VERSION}”")
    try:
        return Package.model_validate(data)
    except ValidationError as exc:
        raise InputError(describe_validation_error(exc, source)) from exc


def _int(text: str) -> int | Decimal:
    return int(text) if len(text) <= 40 else Decimal(text)


def dump_json(package: Package) -> str:
    return package.model_dump_json(indent=2) + "\n"
