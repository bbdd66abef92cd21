"""serve (the web application) and manage (Django's management commands)."""

from __future__ import annotations

import os
import shutil
import sys


def register(sub) -> None:
    p = sub.add_parser("serve", help="启动网页填报系统（首次运行时建库并载入演示数据）",
                       description="迁移数据库；数据库为空时载入演示数据；启动网页服务。")
    p.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
    p.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
    p.add_argument("--production", action="store_true",
                   help="生产模式：用 gunicorn 启动，须设置 JIXIAO_SECRET_KEY 与 JIXIAO_ALLOWED_HOSTS")
    p.add_argument("--workers", type=int, default=0, help="生产模式的 gunicorn 进程数（默认为 CPU 数的2倍，每进程4线程）")
    p.add_argument("--no-demo", action="store_true", help="数据库为空时也不载入演示数据")
    p.set_defaults(handler=run_serve)

    p = sub.add_parser("backup", help="在线备份数据库与数据目录到一个文件（运行中也可备份）",
                       description="SQLite 用其备份接口取一致快照（含预写日志中的内容），PostgreSQL 用 pg_dump；"
                                   "数据目录中的密钥一并备份（待处理的批量上传存于数据库中，随数据库备份）。")
    p.add_argument("file", help="备份文件（.tar.gz）")
    p.set_defaults(handler=run_backup)

    p = sub.add_parser("restore", help="从备份文件恢复数据库与数据目录（须先停止网页服务与后台任务）")
    p.add_argument("file", help="jixiao backup 生成的备份文件")
    p.add_argument("--force", action="store_true", help="当前数据库已有材料时也覆盖")
    p.set_defaults(handler=run_restore)

    p = sub.add_parser("manage", help="Django 管理命令（如 migrate、check --deploy、adduser）", add_help=False)
    p.add_argument("args", nargs="...", help="传给 Django 的参数")
    p.set_defaults(handler=run_manage)


def _setup(production: bool = False) -> None:
    from . import CommandError

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
    if production:
        os.environ["JIXIAO_PRODUCTION"] = "1"
    from django.core.exceptions import ImproperlyConfigured

    try:
        import django

        django.setup()
    except ImproperlyConfigured as exc:
        raise CommandError(f"配置错误：{exc}") from exc


def prepare_database(*, demo: bool, out=sys.stdout) -> list[tuple[str, str, str]] | None:
    """Migrate; load the demo into an empty database. Returns the demo logins when loaded."""
    from django.core.management import call_command
    from django.db.utils import OperationalError

    from . import CommandError

    try:
        call_command("migrate", interactive=False, verbosity=0)
    except OperationalError as exc:
        from .failures import storage_reason

        raise CommandError(f"无法连接或迁移数据库（{storage_reason(exc) or '数据库出现故障'}），"
                           "网页服务未启动，没有保存任何更改。请排除问题后重新运行。") from exc
    from ..web.demo import demo_present, load_demo

    if demo and not demo_present():
        print("数据库为空，正在载入演示数据……", file=out, flush=True)
        return load_demo()
    return None


def _print_logins(logins, out=sys.stdout) -> None:
    from ..web.demo import DEMO_PASSWORD

    print(f"\n演示账户（密码均为 {DEMO_PASSWORD}）：", file=out)
    for username, role, scope in logins:
        print(f"  {username:<20} {role:<8} {scope}", file=out)


def run_serve(args) -> int:
    from . import CommandError

    _setup(args.production)
    from django.conf import settings

    logins = prepare_database(demo=not args.no_demo and not args.production)
    if logins is None and not args.production and not args.no_demo:
        from ..web.demo import demo_logins

        logins = demo_logins()  # the demo loaded on an earlier start, if it is still there
    db = settings.DATABASES["default"]
    where = db["NAME"] if db["ENGINE"].endswith("sqlite3") else f"PostgreSQL {db['HOST']}:{db['PORT']}/{db['NAME']}"
    url = f"http://{args.host if ':' not in args.host else f'[{args.host}]'}:{args.port}/"
    if logins:
        _print_logins(logins)
    print(f"\n数据库：{where}\n网页填报系统已启动：{url}  （Ctrl+C 停止）", flush=True)
    if args.production:
        gunicorn = shutil.which("gunicorn") or os.path.join(os.path.dirname(sys.executable), "gunicorn")
        if not os.path.exists(gunicorn):
            raise CommandError("生产模式需要 gunicorn，请先安装（pip install gunicorn）")
        from ..web.serving import gunicorn_command  # processes and threads: why, there

        os.execv(gunicorn, gunicorn_command(args.host, args.port, args.workers, gunicorn=gunicorn,
                                            extra=["--access-logfile", "-"]))
    from django.core.servers.basehttp import run

    from ..web.bureau.worker import start_worker_thread
    from ..web.wsgi import application

    start_worker_thread()  # runs the bureau's queued batch imports in this process

    try:
        run(args.host, args.port, application, threading=True)
    except OSError as exc:
        raise CommandError(f"无法在 {args.host}:{args.port} 上启动：{exc.strerror}") from exc
    except KeyboardInterrupt:
        print("已停止。")
    return 0


def run_manage(args) -> int:
    _setup(os.environ.get("JIXIAO_PRODUCTION") == "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["jixiao manage", *args.args])
    return 0


def run_backup(args) -> int:
    from pathlib import Path

    _setup(os.environ.get("JIXIAO_PRODUCTION") == "1")
    from django.conf import settings

    from ..web.backup import backup

    manifest = backup(Path(args.file), data_dir=Path(settings.DATA_DIR))
    counts = manifest.counts
    kind = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[manifest.database]
    print(f"jixiao: 已备份到 {args.file}（{kind} 数据库，材料 {counts['packages_package']} 份，"
          f"版本 {counts['packages_revision']} 个，审计记录 {counts['audit_auditevent']} 条）", file=sys.stderr)
    return 0


def run_restore(args) -> int:
    from pathlib import Path

    _setup(os.environ.get("JIXIAO_PRODUCTION") == "1")
    from django.conf import settings

    from ..web.backup import restore

    manifest = restore(Path(args.file), data_dir=Path(settings.DATA_DIR), force=args.force)
    counts = manifest["counts"]
    print(f"jixiao: 已从 {args.file}（{manifest['created_at']} 备份）恢复：材料 {counts['packages_package']} 份，"
          f"版本 {counts['packages_revision']} 个，审计记录 {counts['audit_auditevent']} 条", file=sys.stderr)
    return 0
