"""Typed readers of the environment for the settings (no Django imports here)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"环境变量 {name} 应为整数，实际为“{value}”") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def data_dir() -> Path:
    """JIXIAO_DATA_DIR, else `data/` of the source checkout (it is git-ignored), else ./data."""
    if os.environ.get("JIXIAO_DATA_DIR"):
        path = Path(os.environ["JIXIAO_DATA_DIR"])
    else:
        checkout = Path(__file__).resolve().parents[3]
        path = checkout / "data" if (checkout / "pyproject.toml").exists() else Path.cwd() / "data"
    path.mkdir(parents=True, exist_ok=True)
    return path


def secret_key(production: bool, data: Path) -> str:
    """From JIXIAO_SECRET_KEY; outside production, one generated once and kept in the data directory."""
    key = os.environ.get("JIXIAO_SECRET_KEY")
    if key:
        return key
    if production:
        raise ImproperlyConfigured("生产模式须设置 JIXIAO_SECRET_KEY（至少50个随机字符）")
    path = data / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(64))
    return path.read_text().strip()


SQLITE_INIT = (
    # WAL lets readers run beside the one writer; busy_timeout makes a second writer wait
    # instead of failing at once; IMMEDIATE (below) takes the write lock at BEGIN, so a
    # read-then-write transaction cannot deadlock on the upgrade.
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=NORMAL;"
    "PRAGMA busy_timeout=20000;"
    "PRAGMA foreign_keys=ON;"
)


def database_from_url(url: str | None, data: Path) -> dict:
    """DATABASE_URL: sqlite:///relative.db, sqlite:////abs/path.db, postgres://user:pw@host:port/name."""
    if not url:
        url = f"sqlite:///{data / 'jixiao.sqlite3'}"  # an absolute path: four slashes
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "sqlite":
        rest = unquote(url[len("sqlite://") :])
        path = rest[1:] if rest.startswith("/") else rest  # the third slash ends the empty host
        if not path:
            raise ImproperlyConfigured("DATABASE_URL 缺少 SQLite 文件路径，例如 sqlite:///data/jixiao.sqlite3")
        name = Path(path)
        test_name = name.with_name(name.stem + "-test" + name.suffix)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(name),
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": SQLITE_INIT},
            # A file, not memory, for tests too: threads of the live server and the
            # concurrency tests must share it, and WAL needs a file.
            "TEST": {"NAME": str(test_name)},
        }
    if scheme in {"postgres", "postgresql", "pgsql"}:
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ImproperlyConfigured("DATABASE_URL 缺少数据库名，例如 postgres://user@127.0.0.1:5432/jixiao")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": 60,
            "OPTIONS": {"connect_timeout": 5},
        }
    raise ImproperlyConfigured(f"不支持的 DATABASE_URL 类型“{scheme}”（支持 sqlite:// 与 postgres://）")
