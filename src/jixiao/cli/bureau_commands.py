"""import-batch: a folder or zip of many units' packages into a campaign, as drafts.

The same job as the web page's batch import (jixiao.web.bureau.jobs), run in this process
with a progress line per file; the report is printed at the end and kept in the database
(the campaign's 批量导入 page shows it too). Django is imported only inside the handler.
"""

from __future__ import annotations

import json
import logging
import sys
from contextlib import contextmanager
from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser(
        "import-batch", help="批量导入：把文件夹或 .zip 中各单位的材料导入评价任务（财政局）",
        description="把文件夹或 .zip 压缩包中的每个材料文件，按其中写明的单位名称（或文件名）导入为该单位的草稿；"
                    "无法对应或无法读取的文件逐条报告。退出码：0 全部导入，1 有文件未导入，2 输入错误。",
    )
    p.add_argument("path", help="包含材料文件的文件夹，或 .zip 压缩包")
    p.add_argument("--user", required=True, help="以哪位财政局审核人的名义导入（用户名）")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--campaign", type=int, help="评价任务编号")
    where.add_argument("--year", type=int, help="该审核人所在财政局的评价任务年度")
    p.add_argument("--format", choices=["text", "json"], default="text", help="报告格式（默认 text）")
    p.add_argument("--quiet", action="store_true", help="不逐个文件显示进度")
    p.set_defaults(handler=run_import_batch)


def _resolve(args):
    from django.db.utils import DatabaseError

    from ..web.accounts.models import Role, User
    from ..web.packages.models import Campaign
    from . import CommandError

    try:
        user = User.objects.filter(username=args.user, is_active=True).first()
    except DatabaseError as exc:
        from .failures import storage_reason

        if storage_reason(exc) in ("无法连接数据库", "服务器磁盘已满", "数据库当前为只读"):
            raise  # said as a storage failure by jixiao.cli.main
        raise CommandError(f"无法读取数据库（是否已初始化？可先运行 jixiao manage migrate）：{exc}") from exc
    if user is None:
        raise CommandError(f"没有名为“{args.user}”的在用账户")
    if user.role != Role.REVIEWER:
        raise CommandError(f"“{args.user}”的角色是{user.role_label}，只有财政局审核人可以批量导入")
    campaigns = Campaign.objects.filter(bureau_id=user.bureau_id)
    campaign = campaigns.filter(pk=args.campaign).first() if args.campaign else campaigns.filter(year=args.year).first()
    if campaign is None:
        what = f"编号为{args.campaign}" if args.campaign else f"{args.year}年度"
        raise CommandError(f"{user.bureau.name}没有{what}的评价任务")
    return user, campaign


class _OneLine(logging.Formatter):
    """A job's logged failure as one line on the terminal: which file, which exception, no traceback."""

    def format(self, record: logging.LogRecord) -> str:
        text = record.getMessage()
        exc = record.exc_info[1] if record.exc_info else None
        if exc is not None:
            text += f"（{type(exc).__name__}：{str(exc).splitlines()[0][:100] if str(exc) else ''}）"
        return f"jixiao: 内部错误已跳过：{text}"


@contextmanager
def _one_line_logs():
    """The job logs a bad file with its traceback for the server's log; on the terminal it is one line
    (JIXIAO_LOG_LEVEL=DEBUG keeps the traceback)."""
    logger = logging.getLogger("jixiao.web.bureau")
    if logging.getLogger().isEnabledFor(logging.DEBUG):
        yield
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_OneLine())
    # Only a bad file's exception is news here; an interruption is said by the command's own last line.
    handler.addFilter(lambda record: record.exc_info is not None)
    old = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = old


def run_import_batch(args) -> int:
    from ..io import InputError
    from .web_commands import _setup

    path = Path(args.path)
    if not path.exists():
        raise InputError(f"找不到文件或文件夹：{path}")
    _setup()
    from ..web.bureau import claims
    from ..web.bureau.jobs import run_job, start_import
    from ..web.bureau.models import JobStatus
    from . import CommandError
    from .failures import storage_reason

    user, campaign = _resolve(args)
    job = start_import(campaign=campaign, actor=user, path=path.resolve(), source_name=path.name, enqueue_it=False)
    quiet = args.quiet or args.format == "json"
    written = [0]

    def progress(job, line):
        written[0] += 1
        if not quiet:
            print(f"[{line.position + 1}/{job.total or '?'}] {line.file_name}：{line.status_label}", file=sys.stderr,
                  flush=True)

    def interrupted(reason: str) -> CommandError:  # the database failed mid-way: what is saved, what is not
        return CommandError(f"批量导入因{reason}中断：本次已保存{written[0]}个文件的结果，其余文件未导入；"
                            "问题排除后重新运行同一命令即可继续，内容相同的文件不会重复写入。")

    try:
        with _one_line_logs():
            outcome = run_job(job.pk, on_line=progress, token=claims.new_token("cli"))
        if outcome.get("status") == JobStatus.INTERRUPTED:
            raise interrupted(outcome["reason"])
        job.refresh_from_db()
    except CommandError:
        raise
    except Exception as exc:
        reason = storage_reason(exc)
        if reason is None:
            raise
        raise interrupted(reason) from exc
    if job.status == JobStatus.FAILED:
        raise CommandError(job.error)
    lines = list(job.lines.select_related("unit"))
    if args.format == "json":
        print(json.dumps({
            "job": job.pk, "campaign": campaign.pk, "total": job.total, "imported": job.imported, "failed": job.failed,
            "lines": [{"file": ln.file_name, "status": ln.status, "unit": ln.unit.name if ln.unit else None,
                       "revision": ln.revision_number, "message": ln.message} for ln in lines],
        }, ensure_ascii=False, indent=1))
    else:
        for ln in lines:
            if ln.status != "imported":
                print(f"{ln.file_name}：{ln.status_label}。{ln.message}")
        print(f"{campaign.title}：共{job.total}个文件，导入{job.imported}个，未导入{job.failed}个。")
    return 0 if job.failed == 0 else 1
