"""The ``jixiao`` command. Each command module registers its subcommands; heavy imports
happen inside the handlers so that ``jixiao check file.json`` starts fast."""

from __future__ import annotations

import argparse
import importlib
import os
import sys

# Modules with a ``register(subparsers)`` function. Add one here to add commands.
COMMAND_MODULES = (
    "jixiao.cli.core",
    "jixiao.cli.io_commands",
    "jixiao.cli.render_commands",
    "jixiao.cli.report_commands",
    "jixiao.cli.web_commands",
    "jixiao.cli.bureau_commands",
    "jixiao.cli.cycle_commands",
)


class CommandError(Exception):
    """A failure to report as one Chinese line and exit status 2."""


# argparse's own words (usage lines, headings, its errors) in Chinese: argparse looks each of them
# up through the module's gettext function, so one table here translates them all.
_ARGPARSE_ZH = {
    "usage: ": "用法：",
    "positional arguments": "参数",
    "options": "选项",
    "optional arguments": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "the following arguments are required: %s": "缺少参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项 %(value)r（可选：%(choices)s）",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "expected one argument": "需要一个值",
    "expected at least one argument": "至少需要一个值",
    "invalid %(type)s value: %(value)r": "无效的%(type)s值：%(value)r",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 有歧义，可能是 %(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "%(prog)s: error: %(message)s\n": "%(prog)s: 错误：%(message)s（用 jixiao -h 查看帮助）\n",
}


def _zh(text: str) -> str:
    return _ARGPARSE_ZH.get(text, text)


argparse._ = _zh  # noqa: SLF001 - argparse's documented gettext hook is this module global


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jixiao", description="预算单位整体支出绩效自评：审核、评分、导入、出具文书。"
    )
    sub = parser.add_subparsers(dest="command", metavar="命令")
    sub.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    from ..errors import JixiaoError

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except (JixiaoError, CommandError) as exc:
        print(f"jixiao: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("jixiao: 已中断", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug met on some input: one line, not a traceback (JIXIAO_DEBUG=1 shows it)
        if os.environ.get("JIXIAO_DEBUG"):
            raise
        from .failures import storage_failure_line

        line = storage_failure_line(exc, args.command)
        if line is not None:  # a full disk, a read-only or unreachable database: nothing was saved
            print(line, file=sys.stderr)
            return 2
        detail = str(exc).splitlines()[0][:120] if str(exc) else ""
        print(f"jixiao: 处理时出现内部错误（{type(exc).__name__}{'：' + detail if detail else ''}），"
              "未能完成；请把输入文件和这一行报告给维护人员", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
