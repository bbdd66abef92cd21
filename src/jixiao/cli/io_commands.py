"""import (Word/Excel/zip/folder to JSON) and template (the Excel workbook to fill)."""

from __future__ import annotations

import sys
from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser(
        "import",
        help="导入填好的 Word/Excel 材料（.docx、.xlsx，旧格式 .doc、.xls、.wps、.et，.zip 或目录），输出 JSON",
        description="读取填好的绩效自评材料（Word、Excel，或装有各部分文件的 .zip/目录），输出材料 JSON；"
        "未能归位的内容作为导入提示输出到标准错误。",
    )
    p.add_argument("path", help="材料文件或目录")
    p.add_argument("-o", "--output", help="写入的 JSON 文件（默认输出到标准输出）；"
                   "导入目录时给一个目录（以 / 结尾或已存在），目录中每份材料（按单位分）各写一个 JSON")
    p.add_argument("--strict", action="store_true", help="有导入提示时以状态 1 退出")
    p.set_defaults(handler=run_import)
    add_form_option(p)

    p = sub.add_parser("template", help="生成可填写的 Excel 或 Word 模板（表样与正式表格一致）")
    p.add_argument("--format", choices=["xlsx", "docx"], default="xlsx",
                   help="xlsx：锁定栏目、数值校验和下拉选项的 Excel 模板；docx：Word 空表（默认 xlsx）")
    p.add_argument("-o", "--output", help="输出文件（默认 <表式名称>模板.xlsx 或 .docx）")
    p.add_argument("--year", type=int, default=None, help="年度（默认上一年）")
    p.add_argument("--from", dest="source", help="用已有材料预填（.json/.docx/.xlsx）")
    p.add_argument("--projects", type=int, default=1, help="空白项目支出绩效自评表的张数（默认 1）")
    p.add_argument("--form", default=None, help="表式定义名称（默认：规则包所用的表式）")
    p.add_argument("--pack", default=None, help="规则包名称（一级指标的标准分值取自它；默认：与表式同名的规则包，没有则用默认规则包）")
    p.set_defaults(handler=run_template)


FORM_HELP = ("按指定表式读取 Word/Excel 文件（表式定义名称，如 national；默认按标题和栏目自动识别，"
             "识别不出时在导入提示中说明）")


def _year(text: str) -> int:
    import argparse

    if not text.isdigit() or not 2000 <= int(text) <= 2100:
        raise argparse.ArgumentTypeError(f"年度“{text}”无效，应为 2000–2100 之间的四位年份")
    return int(text)


def add_form_option(parser) -> None:
    """``--form NAME`` on a command that reads files: its handler reads every Word/Excel file on that
    form instead of recognising each file's; ``--year YYYY`` the year of files that state none.
    Call after the parser's ``set_defaults(handler=…)``."""
    import functools

    parser.add_argument("--form", default=None, help=FORM_HELP)
    parser.add_argument("--year", type=_year, default=None,
                        help="文件中没有写年度（无标题或标题不含“XXXX年度”）时按此年度读入，如 2024")
    handler = parser.get_default("handler")

    @functools.wraps(handler)
    def on_form(args) -> int:
        from ..errors import FormError
        from ..forms import load_form
        from ..io import forcing, giving_year
        from . import CommandError

        if args.form:
            try:
                load_form(args.form)
            except FormError as exc:
                raise CommandError(f"--form：{exc}") from exc
        with forcing(args.form), giving_year(args.year):
            return handler(args)

    parser.set_defaults(handler=on_form)


def print_issues(issues, stream=None) -> None:
    stream = stream or sys.stderr
    for issue in issues:
        print(f"jixiao: 导入提示：{issue.describe()}", file=stream)


def run_import(args) -> int:
    from ..io import dump_json, import_package

    path = Path(args.path)
    if args.output and path.is_dir() and (args.output.endswith(("/", "\\")) or Path(args.output).is_dir()):
        return _import_folder(path, Path(args.output), args.strict)
    result = import_package(path)
    text = dump_json(result.package)
    if args.output:
        out = Path(args.output)
        try:
            out.write_text(text, encoding="utf-8")
        except OSError as exc:
            from . import CommandError

            raise CommandError(f"无法写入 {out}：{exc.strerror or exc}") from exc
    else:
        sys.stdout.write(text)
    print_issues(result.issues)
    from ..forms import form_def

    pkg = result.package
    form = form_def(pkg.form)  # the form the files were read on: only the parts it has
    held = {"basic": pkg.basic is not None, "overall": pkg.overall is not None, "report": pkg.report is not None}
    said = [f"{part['name']} {len(pkg.projects)} 张" if key == "project" else f"{part['name']}{'有' if held[key] else '无'}"
            for key, part in form["parts"].items()]
    on = f"（表式：{form.get('name') or form['id']}）" if pkg.form else ""
    print(
        f"jixiao: 已导入 {pkg.fiscal_year}年度 {pkg.unit_name or '（未识别单位名称）'}{on}："
        f"{'，'.join(said)}；导入提示 {len(result.issues)} 条。",
        file=sys.stderr,
    )
    return 1 if args.strict and result.issues else 0


def _import_folder(path: Path, out: Path, strict: bool) -> int:
    """Every package of a folder (jixiao.io.folders: one per unit), one JSON each, named by its unit."""
    from ..io import InputError, dump_json, packages_in
    from ..render import safe_name
    from . import CommandError

    groups = packages_in(path)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CommandError(f"无法创建目录 {out}：{exc.strerror or exc}") from exc
    failed = issues = 0
    used: set[str] = set()
    for group in groups:
        try:
            result = group.read()
        except InputError as exc:
            failed += 1
            print(f"jixiao: 未导入 {group.where}：{exc}", file=sys.stderr)
            continue
        pkg = result.package
        stem = safe_name(pkg.unit_name or Path(group.where.split("、")[0]).stem) or "材料"
        name, n = f"{stem}.json", 1
        while name in used:
            n += 1
            name = f"{stem}-{n}.json"
        used.add(name)
        try:
            (out / name).write_text(dump_json(pkg), encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"无法写入 {out / name}：{exc.strerror or exc}") from exc
        print_issues(result.issues)
        issues += len(result.issues)
        print(f"jixiao: 已导入 {group.where} → {out / name}（{pkg.fiscal_year}年度 {pkg.unit_name or '未识别单位名称'}，"
              f"导入提示 {len(result.issues)} 条）", file=sys.stderr)
    print(f"jixiao: 共 {len(groups)} 份材料，写入 {len(groups) - failed} 份，未能读取 {failed} 份。", file=sys.stderr)
    if failed:
        return 2
    return 1 if strict and issues else 0


def _template_name(form: str, fmt: str) -> str:
    """'绩效自评模板.xlsx' for the self-evaluation forms (as before); '<表式名称>模板.docx' for the others."""
    from ..forms import load_form

    definition = load_form(form)
    if definition.get("stage", "evaluation") == "evaluation":
        return f"绩效自评模板.{fmt}"
    return f"{definition.get('name') or definition['id']}模板.{fmt}"


def run_template(args) -> int:
    import datetime

    from ..io import write_template

    package = None
    if args.source:
        from ..io import load_package

        package = load_package(Path(args.source))
    year = args.year or (package.fiscal_year if package else datetime.date.today().year - 1)
    from ..forms import form_of
    from ..pack import DEFAULT_PACK, pack_for, read_pack

    # the form asked for, else the one the package from --from is on, else the pack's; the
    # 一级 weights from the pack named, else the pack of that form
    form = args.form or (package.form if package is not None else None)
    pack = args.pack or (pack_for(form).id if form else DEFAULT_PACK)
    form = form or form_of(read_pack(pack))["id"]
    out = Path(args.output or _template_name(form, args.format))
    try:
        if args.format == "docx":
            from ..render import write_docx_template

            data = write_docx_template(year, package, max(args.projects, 1), form=form, pack=pack)
        else:
            data = write_template(year=year, package=package, projects=max(args.projects, 1), form=form, pack=pack)
        out.write_bytes(data)
    except OSError as exc:
        from . import CommandError

        raise CommandError(f"无法写入 {out}：{exc.strerror or exc}") from exc
    print(f"jixiao: 已生成 {out}", file=sys.stderr)
    return 0
