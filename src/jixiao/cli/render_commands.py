"""render: the official documents (Word, Excel, PDF) of a package."""

from __future__ import annotations

import sys
from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser(
        "render", help="出具正式文书：Word、Excel、PDF",
        description="按正式表样出具绩效自评材料：各部分及全套 Word 文件、Excel 工作簿、PDF。",
    )
    p.add_argument("path", help="材料文件（jixiao check 接受的任何材料）")
    p.add_argument("--out", required=True, help="输出目录（不存在时创建）")
    p.add_argument("--format", default="docx,xlsx,pdf", help="输出格式，逗号分隔：docx,xlsx,pdf（默认全部）")
    p.add_argument("--fill-computed", action="store_true",
                   help="用公式补填单位留空的计算值（控制率、执行率、小计与总分）；默认按材料原样出具")
    p.add_argument("--with-findings", action="store_true", help="在 PDF 末尾附审核结果与评分")
    p.add_argument("--pack", default=None, help="审核所用规则包名称或 YAML 文件路径（默认 hunan-2023）")
    p.add_argument("--form", default=None, help="表式定义名称（默认：规则包所用的表式）")
    p.add_argument("--template", default=None, help="自定义 Word 模板（.docx，须含 JX 样式，见 scripts/build_docx_template.py）")
    p.set_defaults(handler=run_render)


def parse_formats(text: str) -> list[str]:
    from . import CommandError

    formats = [f.strip().lower().lstrip(".") for f in text.split(",") if f.strip()]
    known = ("docx", "xlsx", "pdf")
    bad = [f for f in formats if f not in known]
    if bad or not formats:
        raise CommandError(f"不支持的输出格式“{'、'.join(bad) or text}”（可选：docx、xlsx、pdf）")
    return list(dict.fromkeys(formats))


def run_render(args) -> int:
    from ..io import InputError, load_package
    from ..render import render_package
    from . import CommandError

    formats = parse_formats(args.format)
    path = Path(args.path)
    if path.is_dir() and not (path / "word").is_dir():
        raise CommandError(f"render 只接受单份材料，不接受目录：{path}")
    if args.template and not Path(args.template).is_file():
        raise InputError(f"找不到Word模板：{args.template}")
    if args.with_findings and "pdf" not in formats:
        print("jixiao: 提示：--with-findings 只作用于 PDF，本次未出具 PDF", file=sys.stderr)
    package = load_package(path)
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise CommandError(f"输出位置不是目录：{out}")
    try:
        result = render_package(
            package, out, formats, fill_computed=args.fill_computed, with_findings=args.with_findings,
            pack=args.pack, template=args.template, form=args.form,
        )
    except OSError as exc:
        raise CommandError(f"无法写入输出目录 {out}：{exc.strerror or exc}") from exc
    for cell in result.filled:
        print(f"已补填：{cell.where} = {cell.value}", file=sys.stderr)
    for f in result.files:
        print(f)
    return 0
