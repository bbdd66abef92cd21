"""jixiao cycle monitoring|evaluation|carry-over: one step's package started from another's
(jixiao.cycle), and the cycle context check takes (--targets, --rectifications)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

STEPS = {
    "monitoring": ("由批复的绩效目标预填年中绩效目标执行监控表", "monitoring-national"),
    "evaluation": ("由批复的绩效目标预填绩效自评表", "national"),
    "carry-over": ("由上年绩效目标结转下一年度绩效目标申报表", None),
}


def register(sub) -> None:
    p = sub.add_parser("cycle", help="绩效管理循环：由绩效目标预填监控表、自评表，结转下一年度目标",
                       description="由一个环节的材料生成下一个环节的材料（见 docs/cycle-checks.md）。")
    steps = p.add_subparsers(dest="step", metavar="环节")
    steps.required = True
    for name, (text, form) in STEPS.items():
        s = steps.add_parser(name, help=text, description=text + "。")
        s.add_argument("targets", help="绩效目标申报材料（.json、Word 或 Excel）")
        s.add_argument("-o", "--output", help="写入的 JSON 文件（默认输出到标准输出）")
        if form is not None:
            s.add_argument("--form", default=form, help=f"生成材料的表式定义名称（默认 {form}）")
        s.set_defaults(handler=run_cycle)


def read_targets(path: str):
    """A package on a targets form, read from JSON/Word/Excel; a Chinese CommandError otherwise."""
    from ..cycle import stage_of
    from ..io import import_package
    from . import CommandError

    package = import_package(Path(path)).package
    if stage_of(package.form) != "targets":
        raise CommandError(f"{path} 不是绩效目标申报表（表式为“{package.form or '默认自评表'}”），"
                           "请给出批复的绩效目标申报材料")
    return package


def run_cycle(args) -> int:
    from ..cycle import carried_over_targets, evaluation_from_targets, monitoring_from_targets
    from ..errors import FormError
    from ..forms import load_form
    from ..io import dump_json
    from . import CommandError

    targets = read_targets(args.targets)
    form = getattr(args, "form", None)
    if form is not None:
        try:
            load_form(form)
        except FormError as exc:
            raise CommandError(f"--form：{exc}") from exc
    if args.step == "monitoring":
        out = monitoring_from_targets(targets, form)
    elif args.step == "evaluation":
        out = evaluation_from_targets(targets, form)
    else:
        out = carried_over_targets(targets)
    text = dump_json(out)
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"无法写入 {args.output}：{exc.strerror or exc}") from exc
        print(f"jixiao: 已生成 {args.output}（{out.fiscal_year}年度 {out.unit_name}）", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def read_rectifications(path: str):
    """Rectification items from a JSON list of {problem, due, response, closed, year}."""
    from ..cycle import Rectification
    from . import CommandError

    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise CommandError(f"无法读取整改事项文件 {path}：{exc.strerror or exc}") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise CommandError(f"整改事项文件 {path} 不是有效的 JSON：{exc}") from exc
    if not isinstance(data, list):
        raise CommandError(f"整改事项文件 {path} 应为 JSON 列表，每项一个整改事项")
    items = []
    for n, entry in enumerate(data, 1):
        if not isinstance(entry, dict) or not str(entry.get("problem") or "").strip():
            raise CommandError(f"整改事项文件 {path} 第{n}项缺少“problem”（问题描述）")
        try:
            due = dt.date.fromisoformat(entry["due"]) if entry.get("due") else None
            year = int(entry["year"]) if entry.get("year") is not None else None
        except (TypeError, ValueError) as exc:
            raise CommandError(f"整改事项文件 {path} 第{n}项的整改期限或年度无效：{exc}") from exc
        items.append(Rectification(problem=str(entry["problem"]), due=due, response=entry.get("response"),
                                   closed=bool(entry.get("closed", False)), year=year))
    return tuple(i for i in items if not i.closed)


def targets_not_for(package, cycle) -> str | None:
    """Why the approved targets of ``cycle`` cannot be compared with ``package`` (another unit or
    another year), in Chinese; None when they are its own (or there are none)."""
    from ..cycle import project_key  # a name folded and without spaces, as the cycle matches names

    targets = getattr(cycle, "approved_targets", None)
    if targets is None:
        return None
    if project_key(targets.unit_name) != project_key(package.unit_name) or targets.fiscal_year != package.fiscal_year:
        return (f"批复的绩效目标是“{targets.unit_name}”{targets.fiscal_year}年度的，自评材料是“{package.unit_name}”"
                f"{package.fiscal_year}年度的，不是同一单位、同一年度，不能对照；请给出本单位本年度批复的绩效目标")
    return None


def cycle_context(args):
    """The CycleContext of `check --targets/--rectifications`, or None when neither is given."""
    from ..cycle import CycleContext

    targets = getattr(args, "targets", None)
    rect = getattr(args, "rectifications", None)
    if not targets and not rect:
        return None
    return CycleContext(approved_targets=read_targets(targets) if targets else None,
                        open_rectifications=read_rectifications(rect) if rect else ())
