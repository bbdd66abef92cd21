"""check, score, schema."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .output import Styler, print_check_text, print_score_text, print_summary_table


def register(sub) -> None:
    p = sub.add_parser("check", help="审核材料：算术、跨表、完整性、合理性与评分", description="审核绩效自评材料。")
    p.add_argument("path", help="材料文件（.json 等）或包含多份材料的目录")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--pack", default=None, help="规则包名称或 YAML 文件路径（默认 hunan-2023）")
    p.set_defaults(handler=run_check)

    p = sub.add_parser("score", help="按评分规则计算得分并与自评得分对照")
    p.add_argument("path")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--pack", default=None)
    p.set_defaults(handler=run_score)

    p = sub.add_parser("schema", help="输出材料的 JSON Schema")
    p.set_defaults(handler=run_schema)


def _packages(path: Path):
    """(path, Package or InputError) for a file, or for every package file in a directory."""
    from ..io import InputError, load_package, supported_suffixes

    if not path.is_dir() or (path / "word").is_dir():
        yield path, load_package(path)
        return
    files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in supported_suffixes())
    if not files:
        raise InputError(f"目录中没有可审核的材料文件：{path}")
    for f in files:
        try:
            yield f, load_package(f)
        except InputError as exc:
            yield f, exc


def _is_dir_mode(path: Path) -> bool:
    return path.is_dir() and not (path / "word").is_dir()


def run_check(args) -> int:
    from ..api import check_package
    from ..io import InputError
    from ..rules import load_pack

    pack = load_pack(args.pack) if args.pack else load_pack()
    path = Path(args.path)
    style = Styler(sys.stdout)
    if not _is_dir_mode(path):
        result = check_package(next(_packages(path))[1], pack)
        if args.format == "json":
            print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        else:
            print_check_text(result, style)
        return 1 if result.has_errors else 0

    rows, results = [], []
    items = list(_packages_progress(path))
    for f, pkg in items:
        if isinstance(pkg, InputError):
            rows.append((f, None, str(pkg)))
            continue
        result = check_package(pkg, pack)
        results.append((f, result))
        rows.append((f, result, None))
    if args.format == "json":
        out = {"packages": [
            {"path": str(f), **(r.to_dict() if r else {"error": err})} for f, r, err in rows
        ]}
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print_summary_table(rows, style)
    if any(r is None for _, r, _ in rows):
        return 2
    return 1 if any(r.has_errors for _, r in results) else 0


def _packages_progress(path: Path):
    from .output import progress

    return progress(_packages(path), sys.stderr)


def run_score(args) -> int:
    from ..api import check_package, scores_dict
    from ..rules import load_pack

    pack = load_pack(args.pack) if args.pack else load_pack()
    path = Path(args.path)
    if _is_dir_mode(path):
        from . import CommandError

        raise CommandError("score 只接受单个材料文件")
    result = check_package(next(_packages(path))[1], pack)
    if args.format == "json":
        print(json.dumps({"scores": [scores_dict(t) for t in result.scores]}, ensure_ascii=False, indent=2))
    else:
        print_score_text(result, Styler(sys.stdout))
    return 0


def run_schema(args) -> int:
    from ..model import Package

    schema = Package.model_json_schema(mode="validation")
    schema["$id"] = "https://jixiao.invalid/schema/package-v1.json"
    print(json.dumps(schema, ensure_ascii=False, indent=2))
    return 0
