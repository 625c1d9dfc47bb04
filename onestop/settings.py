"""Settings, configured from the environment (DATABASE_URL, SECRET_KEY, ALLOWED_HOSTS, DEBUG)."""
import os
import sys
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("ONESTOP_VAR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me" if DEBUG else "")
if not SECRET_KEY:
    raise RuntimeError("SECRET_KEY must be set when DEBUG is off")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_ratelimit",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "onestop.audit",
    "onestop.org",
    "onestop.catalog",
    "onestop.enterprises",
    "onestop.worktime",
    "onestop.seals",
    "onestop.approvals",
    "onestop.stewards",
    "onestop.feedback",
    "onestop.outreach",
    "onestop.lights",
    "onestop.stats",
    "onestop.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files when DEBUG is off (collected under STATIC_ROOT)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "onestop.web.middleware.ChineseFirstMiddleware",  # Chinese unless the user switches
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "onestop.web.idempotency.IdempotencyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",  # a page over its rate limit: 429 (RATELIMIT_VIEW)
]

ROOT_URLCONF = "onestop.urls"
WSGI_APPLICATION = "onestop.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'onestop.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["ENGINE"] = "onestop.backends.sqlite3"  # Django's, with placeholders converted once
    # WAL lets the web server and the worker read while the other writes; IMMEDIATE makes a write
    # transaction take its lock at BEGIN, so two writers queue instead of failing mid-transaction.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # One test database file per process, so several test runs on one machine never share one.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
elif os.environ.get("DATABASE_PREPARED_STATEMENTS", "on") != "off":
    # PostgreSQL binds the values itself and keeps a plan for each statement a connection runs again and
    # again (psycopg prepares it on its 5th run), instead of Django's default: values quoted into the text,
    # every statement parsed and planned anew. Planning a primary-key read cost more than running it; the
    # approval flow went from 38 to 53 applications/s (bench/flow.py, medians of three alternating runs).
    # Prepared statements live as long as the connection (CONN_MAX_AGE). `off` goes back to Django's
    # default, for a pooler that cannot keep them (PgBouncer in transaction mode before 1.21).
    DATABASES["default"]["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": 5}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "org.Account"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "onestop" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns about a missing one before the first collectstatic
# With DEBUG off, WhiteNoise serves what `collectstatic` (make run) put under STATIC_ROOT, compressed and with
# content-hashed names (cached for ever). Tests keep the plain storage: they render pages without collecting.
_TESTING = "pytest" in sys.modules or sys.argv[1:2] == ["test"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage" if DEBUG or _TESTING
                    else "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# The cache: Redis when REDIS_URL is set (shared by every server process: what rate limits need to count
# right with more than one), otherwise memory in each process (one `make run` process, tests).
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL} if REDIS_URL
          else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Rate limits on what anyone can call without an account (onestop.throttle): requests per client address
# ("20/m", "100/h"; "off" for none). Behind a reverse proxy, RATE_LIMIT_IP_HEADER names the META key of the
# client address it sets (e.g. HTTP_X_REAL_IP), or every client would share the proxy's.
RATE_LIMITS = {
    "login": os.environ.get("RATE_LIMIT_LOGIN", "20/m"),
    "verify": os.environ.get("RATE_LIMIT_VERIFY", "30/m"),
    "tsa": os.environ.get("RATE_LIMIT_TSA", "600/m"),
    "comments": os.environ.get("RATE_LIMIT_COMMENTS", "10/m"),
}
if os.environ.get("RATE_LIMIT_IP_HEADER"):
    RATELIMIT_IP_META_KEY = os.environ["RATE_LIMIT_IP_HEADER"]
RATELIMIT_VIEW = "onestop.web.views.too_many_requests"
# django-ratelimit names only memcached and django-redis as tested caches: Django's own RedisCache increments
# atomically too (W001); a per-process memory cache is refused (E003) although one process is what it serves.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"] + ([] if REDIS_URL else ["django_ratelimit.E003"])

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# API lists: 100 rows unless `limit` asks otherwise, and never more than 500 (a bigger limit is refused
# naming the field) so that one request cannot make the server read and convert a whole table.
NINJA_PAGINATION_PER_PAGE = 100
NINJA_PAGINATION_MAX_LIMIT = 500

# The address the public reaches the platform at: printed in QR codes and in every seal certificate's CRL
# address, so set it before the platform CA is first created.
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000")
# Government seal keys are encrypted at rest under this (falls back to SECRET_KEY: then rotating
# SECRET_KEY makes them unreadable, so production sets its own).
SEALS_KEY = os.environ.get("SEALS_KEY", "")

# Until a mail server is configured, notification e-mails are written as files under var/mail.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "onestop@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
