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
    """(path, ImportResult or InputError) for a file, or for every package file in a directory.

    A directory given to ``check`` holds one package per file (a bureau's folder of
    submissions); ``jixiao import DIR`` is the command that reads a folder of part files
    as one package.
    """
    from ..io import InputError, import_package, supported_suffixes

    if not _is_dir_mode(path):
        yield path, import_package(path)
        return
    files = sorted(
        p for p in path.rglob("*")
        if p.is_file() and p.suffix.lower() in supported_suffixes() and not p.name.startswith((".", "~$"))
    )
    if not files:
        raise InputError(f"目录中没有可审核的材料文件：{path}")
    for f in files:
        try:
            yield f, import_package(f)
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
        imported = next(_packages(path))[1]
        result = check_package(imported.package, pack)
        if args.format == "json":
            print(json.dumps(_with_import(result.to_dict(), imported), ensure_ascii=False, indent=2))
        else:
            print_check_text(result, style, imported.issues)
        return 1 if result.has_errors else 0

    rows, results = [], []
    items = list(_packages_progress(path))
    imports = {}
    for f, imported in items:
        if isinstance(imported, InputError):
            rows.append((f, None, str(imported)))
            continue
        result = check_package(imported.package, pack)
        imports[f] = imported
        results.append((f, result))
        rows.append((f, result, None))
    if args.format == "json":
        out = {"packages": [
            {"path": str(f), **(_with_import(r.to_dict(), imports[f]) if r else {"error": err})} for f, r, err in rows
        ]}
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print_summary_table(rows, style)
    if any(r is None for _, r, _ in rows):
        return 2
    return 1 if any(r.has_errors for _, r in results) else 0


def _with_import(data: dict, imported) -> dict:
    data["import_findings"] = [i.to_dict() for i in imported.issues]
    return data


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
    imported = next(_packages(path))[1]
    result = check_package(imported.package, pack)
    if imported.issues:
        from .io_commands import print_issues

        print_issues(imported.issues)
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
