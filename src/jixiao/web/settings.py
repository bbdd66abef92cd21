"""Django settings, read from the environment through small typed helpers.

One file for every mode: `jixiao serve` (embedded SQLite under the data directory),
tests (the same, or PostgreSQL through DATABASE_URL) and production
(JIXIAO_PRODUCTION=1: secure cookies, HSTS, a secret key that must come from the environment).
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from .envconfig import data_dir, database_from_url, env_bool, env_int, env_list, secret_key
from .uploads import MAX_UPLOAD_BYTES

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = data_dir()

PRODUCTION = env_bool("JIXIAO_PRODUCTION", False)
DEBUG = env_bool("JIXIAO_DEBUG", False) and not PRODUCTION
SECRET_KEY = secret_key(PRODUCTION, DATA_DIR)
ALLOWED_HOSTS = env_list("JIXIAO_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("生产模式须设置 JIXIAO_ALLOWED_HOSTS（逗号分隔的域名）")
CSRF_TRUSTED_ORIGINS = env_list("JIXIAO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "jixiao.web.accounts",
    "jixiao.web.audit",
    "jixiao.web.packages",
    "django_tasks",
    "django_tasks_db",
    "jixiao.web.bureau",
    "jixiao.web.evidence",  # 佐证材料, 整改, 结果应用 (docs/cycle-evidence.md)
    "ninja",  # the API's docs page uses the Swagger UI files it ships (served as our static files)
    "jixiao.web.api",
]

# Background work (batch import, publishing many packages): Django's Tasks API stored in the
# database, so no broker is needed; `jixiao manage job_worker` (or the worker `serve` starts) runs it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A running job renews its claim every HEARTBEAT seconds; one not renewed for STALE seconds (its
# worker died) is queued again and resumes where it stopped, at most MAX_ATTEMPTS claims in all
# before it waits for the bureau's 重试 (bureau/jobs.py, docs/operations.md).
JIXIAO_JOB_HEARTBEAT_SECONDS = env_int("JIXIAO_JOB_HEARTBEAT_SECONDS", 10)
JIXIAO_JOB_STALE_SECONDS = env_int("JIXIAO_JOB_STALE_SECONDS", 60)
JIXIAO_JOB_MAX_ATTEMPTS = env_int("JIXIAO_JOB_MAX_ATTEMPTS", 3)

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "jixiao.web.api.errors.ApiJsonErrors",  # under /api/: every error answer as JSON, never a page
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "jixiao.web.errors.StorageSafeSessionMiddleware",  # Django's, but a session that cannot be saved is no 500
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "jixiao.web.accounts.middleware.IdleTimeoutMiddleware",
    "jixiao.web.accounts.middleware.ForcedPasswordChangeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "jixiao.web.errors.MethodNotAllowedPage",
    "jixiao.web.errors.StorageFailurePage",  # a view meeting a database that takes no write: a Chinese 503
    "jixiao.web.errors.ContentSecurityPolicy",
]

# Scripts only from our static files (no inline script, no eval); inline style attributes are
# allowed (the sheets and charts set widths), frames, plugins and foreign form targets are not.
JIXIAO_CSP = os.environ.get(
    "JIXIAO_CSP",
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'",
)

ROOT_URLCONF = "jixiao.web.urls"
WSGI_APPLICATION = "jixiao.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            "builtins": ["jixiao.web.packages.templatetags.sheet"],
            # Cached loader in every mode: the sheet pages include many small templates.
            "loaders": [
                ("django.template.loaders.cached.Loader", ["django.template.loaders.filesystem.Loader"])
            ],
        },
    }
]

DATABASES = {"default": database_from_url(os.environ.get("DATABASE_URL"), DATA_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["jixiao.web.accounts.backends.LockoutBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "packages:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Password rules (等保: length, several character classes, not like the user name, not common),
# Django's checks with Chinese messages (accounts/validators.py).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "jixiao.web.accounts.validators.UserAttributeSimilarityValidator"},
    {"NAME": "jixiao.web.accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "jixiao.web.accounts.validators.CommonPasswordValidator"},
    {"NAME": "jixiao.web.accounts.validators.NumericPasswordValidator"},
    {"NAME": "jixiao.web.accounts.validators.CharacterClassValidator"},
    {"NAME": "jixiao.web.accounts.validators.PasswordHistoryValidator", "OPTIONS": {"count": 5}},
]
# Failed logins: this many within the window lock the name for the lock time.
LOGIN_MAX_FAILURES = env_int("JIXIAO_LOGIN_MAX_FAILURES", 5)
LOGIN_FAILURE_WINDOW = env_int("JIXIAO_LOGIN_FAILURE_WINDOW", 15 * 60)
LOGIN_LOCK_SECONDS = env_int("JIXIAO_LOGIN_LOCK_SECONDS", 15 * 60)
# Two-factor login (TOTP): required of the administrators and the bureau's reviewers when on
# (by default in production; off for the demo of `make run`); anyone may turn it on for themselves.
JIXIAO_REQUIRE_2FA = env_bool("JIXIAO_REQUIRE_2FA", PRODUCTION)
OTP_TOTP_ISSUER = "绩效自评"
# Sessions end after this much inactivity, and in any case after a working day.
SESSION_IDLE_SECONDS = env_int("JIXIAO_SESSION_IDLE_SECONDS", 30 * 60)
SESSION_COOKIE_AGE = env_int("JIXIAO_SESSION_MAX_SECONDS", 10 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Audit rows are kept at least this many days (等保: 180 at the least; a smaller value counts as 180):
# `jixiao manage purge_audit --before DATE` refuses any later date.
JIXIAO_AUDIT_RETENTION_DAYS = env_int("JIXIAO_AUDIT_RETENTION_DAYS", 180)

# API calls per token (Django Ninja's rate format: "N/s", "N/min", "N/h", "N/day"); counted in
# the cache (per process with the default local-memory cache).
JIXIAO_API_RATE = os.environ.get("JIXIAO_API_RATE", "120/min")

# Uploads: a package file is small; anything larger is refused before it is parsed.
JIXIAO_MAX_UPLOAD_BYTES = env_int("JIXIAO_MAX_UPLOAD_BYTES", MAX_UPLOAD_BYTES)
# Evidence (佐证材料): each file's limit and an image's pixel cap (docs/cycle-evidence.md).
JIXIAO_EVIDENCE_MAX_BYTES = env_int("JIXIAO_EVIDENCE_MAX_BYTES", MAX_UPLOAD_BYTES)
JIXIAO_EVIDENCE_MAX_PIXELS = env_int("JIXIAO_EVIDENCE_MAX_PIXELS", 60_000_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # form posts (a whole sheet is far below this)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o600

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns about a missing one even when serving from finders
STATICFILES_DIRS = [BASE_DIR / "static"]
# No collectstatic needed in `serve`: WhiteNoise serves straight from the finders.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

if PRODUCTION:
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("JIXIAO_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("JIXIAO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line_refusals": {"()": "jixiao.web.errors.OneLineRefusals"}},
    # django.request (403) and django.security.* (400) pass their exception on: one line each, no traceback.
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["one_line_refusals"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("JIXIAO_LOG_LEVEL", "WARNING")},
}
CSRF_FAILURE_VIEW = "jixiao.web.errors.csrf_failure"
