"""check, score, schema."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .io_commands import add_form_option
from .output import Styler, print_check_text, print_score_text, print_summary_table


def register(sub) -> None:
    p = sub.add_parser("check", help="审核材料：算术、跨表、完整性、合理性与评分", description="审核绩效自评材料。")
    p.add_argument("path", help="材料文件（.json 等）或目录（按单位分成一份或多份材料，见 docs/import.md）")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--pack", default=None, help="规则包名称或 YAML 文件路径（默认按材料的表式选用其规则包）")
    p.add_argument("--summary", action="store_true", help="只输出汇总表（每份材料一行），不输出逐条审核报告")
    p.add_argument("--targets", default=None, help="批复的绩效目标申报材料（.json、Word 或 Excel）：自评表、监控表的指标值和分值与之核对")
    p.add_argument("--rectifications", default=None,
                   help="整改事项 JSON 列表（problem、due、response、closed、year）：未完成的事项与自评报告第八、九部分核对")
    p.set_defaults(handler=run_check)
    add_form_option(p)  # reading on a forced form (jixiao.cli.io_commands)

    p = sub.add_parser("score", help="按评分规则计算得分并与自评得分对照")
    p.add_argument("path")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--pack", default=None, help="规则包名称或 YAML 文件路径（默认按材料的表式选用其规则包）")
    p.set_defaults(handler=run_score)
    add_form_option(p)

    p = sub.add_parser("schema", help="输出材料的 JSON Schema")
    p.set_defaults(handler=run_schema)


def _packages(path: Path):
    """(path, ImportResult) of a single file (or of an unzipped .docx folder)."""
    from ..io import import_package

    yield path, import_package(path)


def _is_dir_mode(path: Path) -> bool:
    return path.is_dir() and not (path / "word").is_dir()


def pack_of(named, package):
    """The rule pack to check ``package`` by: its own form's pack, or the one named with --pack,
    which must be for the same form (a pack reads the cells of its own form)."""
    from ..forms import DEFAULT_FORM
    from ..rules import pack_of
    from . import CommandError

    if named is None:
        return pack_of(package)
    form = package.form or DEFAULT_FORM
    pack_form = named.get("form", default=DEFAULT_FORM)
    if pack_form != form:
        raise CommandError(f"规则包“{named.id}”用于表式“{pack_form}”，而材料的表式是“{form}”；"
                           f"请去掉 --pack（按材料的表式选用规则包）或换用该表式的规则包")
    return named


def run_check(args) -> int:
    from ..api import check_package
    from ..forms import form_of
    from ..io import InputError
    from ..rules import load_pack
    from . import CommandError
    from .cycle_commands import cycle_context, targets_not_for

    named = load_pack(args.pack) if args.pack else None
    cycle = cycle_context(args)
    path = Path(args.path)
    style = Styler(sys.stdout)
    if not _is_dir_mode(path):
        imported = next(_packages(path))[1]
        pack = pack_of(named, imported.package)
        if (why := targets_not_for(imported.package, cycle)) is not None:
            raise CommandError(why)
        form = form_of(pack)
        result = check_package(imported.package, pack, cycle=cycle)
        if args.format == "json":
            print(json.dumps(_with_import(result.to_dict(), imported), ensure_ascii=False, indent=2))
        elif args.summary:
            print_summary_table([(path.name, result, None)], style)
        else:
            print_check_text(result, style, imported.issues, form)
        return 1 if result.has_errors else 0

    # A folder: its packages by the one folder rule (jixiao.io.folders), each named by its unit.
    from ..io import packages_in
    from ..warmup import warm_up

    warm_up()  # many packages in one process: as a server process does before its first request

    rows, results, imports = [], [], {}
    for group in _packages_progress(packages_in(path)):
        try:
            imported = group.read()
            pack = pack_of(named, imported.package)
            if (why := targets_not_for(imported.package, cycle)) is not None:
                raise CommandError(why)
        except (InputError, CommandError) as exc:
            rows.append((group, None, str(exc)))
            continue
        result = check_package(imported.package, pack, cycle=cycle)
        imports[id(group)] = imported
        results.append((group, result))
        rows.append((group, result, None))
    if args.format == "json":
        out = {"packages": [
            {"path": g.where, "files": [str(f) for f in g.files] or [str(g.folder)],
             "unit": (r.package.unit_name if r else None) or g.unit,
             **(_with_import(r.to_dict(), imports[id(g)]) if r else {"error": err})}
            for g, r, err in rows
        ]}
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        if not args.summary:
            for group, result in results:
                unit = result.package.unit_name or group.label
                print(style(f"━━ {unit}（{group.where}）━━", "1"))
                print_check_text(result, style, imports[id(group)].issues, form_of(pack_of(named, result.package)))
                print()
        print_summary_table([(g.where, r, err) for g, r, err in rows], style)
    if any(r is None for _, r, _ in rows):
        return 2
    return 1 if any(r.has_errors for _, r in results) else 0


def _with_import(data: dict, imported) -> dict:
    data["import_findings"] = [i.to_dict() for i in imported.issues]
    return data


def _packages_progress(groups):
    from .output import progress

    return progress(groups, sys.stderr)


def run_score(args) -> int:
    from ..api import check_package, scores_dict
    from ..rules import load_pack

    named = load_pack(args.pack) if args.pack else None
    path = Path(args.path)
    if _is_dir_mode(path):
        from ..io import packages_in
        from . import CommandError

        groups = packages_in(path)
        if len(groups) > 1:
            raise CommandError(f"score 只接受一份材料，而目录 {path} 中有{len(groups)}份（按单位分）；请逐份评分")
        imported = groups[0].read()
    else:
        imported = next(_packages(path))[1]
    pack = pack_of(named, imported.package)
    from ..cycle import STAGE_NAMES, stage_of

    stage = stage_of(imported.package.form)
    if stage != "evaluation":
        from ..forms import form_def

        print(f"{form_def(imported.package.form).get('name')}属于{STAGE_NAMES[stage]}环节：这些表只审核、不评分；"
              f"请用 jixiao check 审核。")
        return 0
    result = check_package(imported.package, pack)
    if imported.issues:
        from .io_commands import print_issues

        print_issues(imported.issues)
    if args.format == "json":
        print(json.dumps({"scores": [scores_dict(t) for t in result.scores]}, ensure_ascii=False, indent=2))
    else:
        from ..forms import form_of

        print_score_text(result, Styler(sys.stdout), form_of(pack))
    return 0


def run_schema(args) -> int:
    from ..model import Package

    schema = Package.model_json_schema(mode="validation")
    schema["$id"] = "https://jixiao.invalid/schema/package-v1.json"
    print(json.dumps(schema, ensure_ascii=False, indent=2))
    return 0
