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
)


class CommandError(Exception):
    """A failure to report as one Chinese line and exit status 2."""


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
        detail = str(exc).splitlines()[0][:120] if str(exc) else ""
        print(f"jixiao: 处理时出现内部错误（{type(exc).__name__}{'：' + detail if detail else ''}），"
              "未能完成；请把输入文件和这一行报告给维护人员", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
