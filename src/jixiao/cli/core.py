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
    p.add_argument("-j", "--jobs", type=_positive, default=None,
                   help="审核目录时同时使用的进程数（默认且至多：本机可用的 CPU 核数；1：只用本进程）")
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


def _positive(text: str) -> int:
    import argparse

    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"应为正整数，而不是“{text}”")
    return n


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
            print(json.dumps(with_import(result.to_dict(), imported), ensure_ascii=False, indent=2))
        elif args.summary:
            from .folder_check import summarised

            print_summary_table([summarised(path.name, result)], style)
        else:
            print_check_text(result, style, imported.issues, form)
        return 1 if result.has_errors else 0

    # A folder: its packages by the one folder rule (jixiao.io.folders), each named by its unit,
    # read and checked on every core (jixiao.cli.folder_check).
    from ..io import packages_in
    from ..warmup import warm_up
    from .folder_check import FolderJob, check_folder
    from .output import Progress

    groups = packages_in(path)
    warm_up()  # many packages in one process, and the workers forked from it: as a server process does
    output = "json" if args.format == "json" else "summary" if args.summary else "text"
    job = FolderJob(groups, named, cycle, output, style)
    if output == "text":  # each package's report as soon as it and those before it are checked
        def on_done(row):
            if row.text is not None:
                print(row.text, end="", flush=True)
    else:  # one table or one JSON document at the end: a progress bar meanwhile, on a terminal
        bar = Progress(len(groups), sys.stderr)

        def on_done(row):
            bar()
    rows = check_folder(job, args.jobs, on_done=on_done)
    if output == "json":
        print(json.dumps({"packages": [row.entry for row in rows]}, ensure_ascii=False, indent=2))
    else:
        print_summary_table(rows, style)
    if any(row.error is not None for row in rows):
        return 2
    return 1 if any(row.has_errors for row in rows) else 0


def with_import(data: dict, imported) -> dict:
    data["import_findings"] = [i.to_dict() for i in imported.issues]
    return data


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
