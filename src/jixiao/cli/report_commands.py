"""draft: write the 自评报告 from the tables (Markdown, Word, or the package as JSON)."""

from __future__ import annotations

import sys
from pathlib import Path

OUTPUTS = (".md", ".docx", ".json")


def register(sub) -> None:
    p = sub.add_parser(
        "draft", help="按表格数据起草自评报告（保留单位已写的文字）",
        description="起草十部分自评报告：数字段落全部按表格生成，单位已写的文字予以保留；生成后自动与表格核对。",
    )
    p.add_argument("path", help="材料文件（.json 等）")
    p.add_argument("-o", "--output", default=None,
                   help="输出文件：.md（Markdown）、.docx（Word）或 .json（含新报告的整套材料）；省略则输出 Markdown 到屏幕")
    p.add_argument("--pack", default=None, help="规则包名称或 YAML 文件路径（默认按材料的表式选用其规则包）")
    p.set_defaults(handler=run_draft)


def run_draft(args) -> int:
    from ..io import load_package
    from ..report import draft_report, to_markdown, with_report, write_docx
    from ..report import reconcile_report as reconcile
    from ..rules import load_pack
    from . import CommandError

    out = Path(args.output) if args.output else None
    if out is not None and out.suffix.lower() not in OUTPUTS:
        raise CommandError(f"不支持的输出类型“{out.suffix or out.name}”（支持：{'、'.join(OUTPUTS)}）：{out}")
    if out is not None and not out.parent.exists():
        raise CommandError(f"输出目录不存在：{out.parent}")
    from ..forms import form_of
    from .core import pack_of

    package = load_package(args.path)
    pack = pack_of(load_pack(args.pack) if args.pack else None, package)
    if not form_of(pack).get("report"):
        form = form_of(pack)
        parts = "、".join(part["name"] for part in form["parts"].values())
        raise CommandError(f"表式“{form['id']}”只有{parts}，没有报告部分，无从起草")
    draft = draft_report(package, pack)
    drafted = with_report(package, draft.report)
    try:
        if out is None:
            sys.stdout.write(to_markdown(draft.report))
        elif out.suffix.lower() == ".md":
            out.write_text(to_markdown(draft.report), encoding="utf-8")
        elif out.suffix.lower() == ".docx":
            write_docx(draft.report, out)
        else:
            from ..io import dump_json

            out.write_text(dump_json(drafted), encoding="utf-8")
    except OSError as exc:
        raise CommandError(f"无法写入文件：{out}（{exc.strerror}）") from exc
    for note in draft.notes:
        print(f"jixiao: 注意：{note}", file=sys.stderr)
    findings = reconcile(drafted, pack)
    if out is not None:
        from ..forms import form_of, part_name

        print(f"已生成{part_name('report', form_of(pack))}：{out}", file=sys.stderr)
    if findings:
        print(f"报告与表格核对：{len(findings)} 处需要处理（多为保留的单位原文或表格自身的问题）：", file=sys.stderr)
        for f in findings:
            print(f"  - {f.message}", file=sys.stderr)
    else:
        print("报告与表格核对：无不一致。", file=sys.stderr)
    return 0
