"""Settings shared by every role (dev, test, prod).

Everything that differs between installations comes from environment variables prefixed ``PLAZA_``
(read with django-environ). The embedded default needs none of them: SQLite in ``var/``, no Redis,
an in-process scheduler.
"""

from __future__ import annotations

from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PACKAGE_DIR = BASE_DIR / "plaza"

env = environ.Env()
if (BASE_DIR / ".env").exists():  # an optional .env beside the project, for installations without systemd
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)
VAR_DIR = Path(env.str("PLAZA_VAR_DIR", default=str(BASE_DIR / "var")))

SECRET_KEY = env.str("PLAZA_SECRET_KEY", default="plaza-insecure-development-key-change-me")
DEBUG = env.bool("PLAZA_DEBUG", default=False)
ALLOWED_HOSTS = env.list("PLAZA_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("PLAZA_CSRF_TRUSTED_ORIGINS", default=[])
# A form sent from a stale page: Plaza's page in the reader's language (templates/csrf_failure.html), not Django's.
CSRF_FAILURE_VIEW = "plaza.core.views.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "treebeard",
    "axes",
    "plaza.core",
    "plaza.accounts",
    "plaza.audit",
    "plaza.orgs",
    "plaza.notify",
    "plaza.api",
    "plaza.demo",
    "plaza.handbook",
    "plaza.recruitment",
    "plaza.meetings",
    "plaza.elections",
    "plaza.evaluation",
    "plaza.dues",
    "plaza.transfers",
    "plaza.booking",
    "plaza.points",
    "plaza.assistant",
    "plaza.learning",
    "plaza.localrules",
    "plaza.quiz",
    "plaza.voice",
    "plaza.space",
    "plaza.activities",
    "plaza.ambassadors",
    "plaza.union",
    "plaza.league",
    "plaza.vanguard",
    "plaza.studios",
    "plaza.retreats",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response, static files included (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Uploaded pictures (mall items, covers) under /media/, and nothing else from there; see plaza/lib/http.py.
    "plaza.lib.http.PublicMediaMiddleware",
    # Pages compressed (34 KB → 4 KB for a board): after WhiteNoise and media, whose answers are compressed ahead of
    # time or are pictures. BREACH: Django's GZipMiddleware pads each answer with random bytes ("Heal the Breach")
    # and the CSRF token in pages is masked anew on every response; see docs/production.md, "Compression".
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Nothing a signed-in person (or token) is shown stays in a cache: Cache-Control no-store, private.
    "plaza.lib.http.NoStoreForPeopleMiddleware",
    # A page names its style sheet and script in a Link: preload header: fetched as it commits, before parsing.
    "plaza.lib.http.PreloadMiddleware",
    # A body larger than PLAZA_MAX_UPLOAD_MB is refused (413) before anything reads it.
    "plaza.lib.http.RequestSizeMiddleware",
    "plaza.core.middleware.PersonLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # People from outside the enterprise (a dealer's sales staff) open only the pages given to them: 403 elsewhere.
    "plaza.core.outsiders.OutsiderMiddleware",
    # Query parameters with NUL, path ids beyond any column, BadParameter: 400/404 with the reason, never 500.
    "plaza.core.middleware.HostileInputMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # AxesMiddleware must be last: it turns a locked-out login into a clear page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "plaza.urls"
WSGI_APPLICATION = "plaza.wsgi.application"
ASGI_APPLICATION = "plaza.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "plaza.core.context_processors.shell",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("PLAZA_DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'plaza.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the in-process scheduler write while pages are served.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    # Under ASGI each request runs in a thread of its own, so persistent connections (CONN_MAX_AGE > 0)
    # pile up until PostgreSQL refuses more; a psycopg connection pool per process is used instead.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    if env.bool("PLAZA_DB_POOL", default=True):
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": env.int("PLAZA_DB_POOL_MIN", default=2),
            "max_size": env.int("PLAZA_DB_POOL_MAX", default=10),
            "timeout": 10,
        }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.Person"

AUTHENTICATION_BACKENDS = [
    # Axes first, so that a locked-out account is refused before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login protection (django-axes): five failures lock the account and address for 15 minutes.
AXES_FAILURE_LIMIT = env.int("PLAZA_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("PLAZA_LOGIN_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# Dates in each language's own format (2026年12月7日 / 7 Dec 2026): plaza/lib/formats.
FORMAT_MODULE_PATH = ["plaza.lib.formats"]
TIME_ZONE = env.str("PLAZA_TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static", ("vendor", BASE_DIR / "build" / "vendor")]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
# The upload folders whose files pages show to everyone (mall items, article covers): served under MEDIA_URL by
# plaza.lib.http.PublicMediaMiddleware (and by nginx in production). Every other upload leaves only through its
# own permission-checked view.
# Pictures anyone signed in (or, for 通星汇 products, a prospect) may see; scoped pictures go through their own views.
PLAZA_PUBLIC_MEDIA_PREFIXES = ["points/items/", "learning/covers/", "ambassadors/products/", "quiz/covers/"]
# The largest request Plaza accepts, in MB: one figure for nginx's client_max_body_size (docs/production.md),
# Django's limits below and the Excel imports' own check.
PLAZA_MAX_UPLOAD_MB = env.int("PLAZA_MAX_UPLOAD_MB", default=20)
DATA_UPLOAD_MAX_MEMORY_SIZE = PLAZA_MAX_UPLOAD_MB * 1024 * 1024  # a body without files; with files: plaza.lib.http
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names cached for a year, .gz and .br written by collectstatic (plaza/core/staticfiles.py).
    "staticfiles": {"BACKEND": "plaza.core.staticfiles.HashedStaticFilesStorage"},
}

# The key of the tamper-evident chains (plaza.audit.chain): set it to keep the chains verifiable across a change of
# PLAZA_SECRET_KEY; empty = derived from the secret key. Never stored in the database.
PLAZA_CHAIN_KEY = env.str("PLAZA_CHAIN_KEY", default="")

# Personal data (PIPL): Fernet keys, newest first; older keys still decrypt so keys can be rotated.
PLAZA_FIELD_KEYS = env.list("PLAZA_FIELD_KEYS", default=[])

REDIS_URL = env.str("PLAZA_REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        }
    }
    # Sessions read from Redis, written through to the database (they survive a Redis restart).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    # Room for more than LocMem's default 300 keys: 通星汇 keeps a key per new landing-page visitor for a day, and at
    # 300 a few hundred prospects pushed the SMS flood counters (plaza.ambassadors.limits) and the page copies out.
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 100_000}}
    }

# Channels (WebSockets, plaza/asgi.py): consumers of one process talk in memory in the embedded default (one
# uvicorn process); with Redis, through its pub/sub so every worker's sockets hear every message.
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer", "CONFIG": {"hosts": [REDIS_URL]}}
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# Excel imports (plaza.lib.excel.read_sheet): every upload is checked against these *before* it is parsed,
# then streamed. Sized for the largest legitimate file, the monthly payroll of 300,000 people (about 50 MB
# of sheet XML and 20 MB of shared strings unpacked); an import may ask for less, never more.
PLAZA_EXCEL_LIMITS = {
    "max_bytes": PLAZA_MAX_UPLOAD_MB * 1024 * 1024,  # the one upload figure, above
    "max_unpacked_bytes": 256 * 1024 * 1024,
    "max_shared_strings_bytes": 32 * 1024 * 1024,
    "max_ratio": 100,
    "max_members": 200,
    "max_rows": 300_001,  # header included
    "max_columns": 100,
}

# Background work: Celery on Redis in production; the embedded default sweeps in-process.
CELERY_BROKER_URL = env.str("PLAZA_CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not bool(REDIS_URL)
CELERY_TIMEZONE = TIME_ZONE
PLAZA_IN_PROCESS_SCHEDULER = env.bool("PLAZA_IN_PROCESS_SCHEDULER", default=not bool(REDIS_URL))
# 通星汇's landing page answered from its cached copy in front of Django's stack (plaza/core/fastpath.py).
PLAZA_FAST_LANDING = env.bool("PLAZA_FAST_LANDING", default=True)
# 党群小智's index built in the background as a server starts (plaza/assistant/warmup.py); a benchmark that measures
# the server from its start turns it off (PLAZA_ASSISTANT_WARMUP=false), the test settings too.
PLAZA_ASSISTANT_WARMUP = env.bool("PLAZA_ASSISTANT_WARMUP", default=True)
PLAZA_SCHEDULER_INTERVAL_SECONDS = env.int("PLAZA_SCHEDULER_INTERVAL_SECONDS", default=60)
# 积分 earned in a year and unused expire in the following January (a policy choice: off by default).
PLAZA_POINTS_EXPIRE_YEARLY = env.bool("PLAZA_POINTS_EXPIRE_YEARLY", default=False)

EMAIL_BACKEND = env.str("PLAZA_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("PLAZA_EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("PLAZA_EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("PLAZA_EMAIL_USER", default="")
EMAIL_HOST_PASSWORD = env.str("PLAZA_EMAIL_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("PLAZA_EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("PLAZA_DEFAULT_FROM_EMAIL", default="plaza@localhost")

# 企业微信 (WeCom) application messages; empty corp id = channel off.
PLAZA_WECOM = {
    "BASE_URL": env.str("PLAZA_WECOM_BASE_URL", default="https://qyapi.weixin.qq.com"),
    "CORP_ID": env.str("PLAZA_WECOM_CORP_ID", default=""),
    "CORP_SECRET": env.str("PLAZA_WECOM_CORP_SECRET", default=""),
    "AGENT_ID": env.int("PLAZA_WECOM_AGENT_ID", default=0),
    "TIMEOUT_SECONDS": env.float("PLAZA_WECOM_TIMEOUT", default=5.0),
}

# Optional single sign-on. OIDC turns on when a client id is set; LDAP when a server URI is set.
OIDC_RP_CLIENT_ID = env.str("PLAZA_OIDC_CLIENT_ID", default="")
if OIDC_RP_CLIENT_ID:
    INSTALLED_APPS.append("mozilla_django_oidc")
    AUTHENTICATION_BACKENDS.append("plaza.accounts.sso.PlazaOIDCBackend")
    OIDC_RP_CLIENT_SECRET = env.str("PLAZA_OIDC_CLIENT_SECRET", default="")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("PLAZA_OIDC_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = env.str("PLAZA_OIDC_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env.str("PLAZA_OIDC_USER_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = env.str("PLAZA_OIDC_JWKS_ENDPOINT", default="")
    OIDC_RP_SIGN_ALGO = env.str("PLAZA_OIDC_SIGN_ALGO", default="RS256")
    OIDC_EMPLOYEE_NO_CLAIM = env.str("PLAZA_OIDC_EMPLOYEE_NO_CLAIM", default="employee_number")
    OIDC_CREATE_USER = False
    OIDC_RP_SCOPES = env.str("PLAZA_OIDC_SCOPES", default="openid email profile")
    LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/"
AUTH_LDAP_SERVER_URI = env.str("PLAZA_LDAP_SERVER_URI", default="")
if AUTH_LDAP_SERVER_URI:
    AUTHENTICATION_BACKENDS.append("django_auth_ldap.backend.LDAPBackend")
    AUTH_LDAP_BIND_DN = env.str("PLAZA_LDAP_BIND_DN", default="")
    AUTH_LDAP_BIND_PASSWORD = env.str("PLAZA_LDAP_BIND_PASSWORD", default="")
    AUTH_LDAP_USER_DN_TEMPLATE = env.str(
        "PLAZA_LDAP_USER_DN_TEMPLATE", default="uid=%(user)s,ou=people,dc=example,dc=com"
    )
    AUTH_LDAP_USER_ATTR_MAP = {"name": "cn", "email": "mail"}

# Content-Security-Policy (django-csp). Scripts only from our own origin (htmx, ECharts, Quill, Swagger UI all
# come from npm into /static/vendor/) or inline with the response's nonce (`nonce="{{ request.csp_nonce }}"`);
# no inline event handlers anywhere (plaza.js wires them by data attributes). Inline styles stay allowed: the
# templates use style attributes and htmx adds its indicator style. Pictures: ours, and data: URLs (icons).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
    }
}

SESSION_COOKIE_AGE = env.int("PLAZA_SESSION_SECONDS", default=60 * 60 * 12)
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("PLAZA_LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # a line per task that succeeded ("Task plaza.notify.send_notice[…] succeeded in …"): dozens while the demo
        # is seeded, in English; failures are still logged (ERROR)
        "celery.app.trace": {"level": "WARNING"},
    },
}

PAGE_SIZE = 20

# Fix "today" for procedures (YYYY-MM-DD): demos and tests that walk a procedure through time. Empty = real date.
PLAZA_TODAY = env.str("PLAZA_TODAY", default="")

# --- 党群 apps of issues 15-19: what each enterprise decides (see docs/production.md) -------------------------------
# The 党委组织部 (党群工作部) reads the union's and the League's rosters and boards too (read only): issue 18.
PLAZA_ORG_DEPT_SEES_MASS_TREES = env.bool("PLAZA_ORG_DEPT_SEES_MASS_TREES", default=True)
# E线声音: how many 附议 lift a public item onto the committee's list.
PLAZA_VOICE_SUPPORT_THRESHOLD = env.int("PLAZA_VOICE_SUPPORT_THRESHOLD", default=10)
# Posting rate limits per person ("N/window", several with commas; units s m h d; empty = off): E线声音 filings,
# 互动空间 posts (official posts apart) and comments. A post or comment that this many people report is hidden at
# once, pending a moderator's review (0 = never hidden by reports alone).
PLAZA_VOICE_RATE = env.str("PLAZA_VOICE_RATE", default="3/10m,10/1d")
PLAZA_SPACE_POST_RATE = env.str("PLAZA_SPACE_POST_RATE", default="5/10m,30/1d")
PLAZA_SPACE_COMMENT_RATE = env.str("PLAZA_SPACE_COMMENT_RATE", default="10/10m,100/1d")
PLAZA_SPACE_REPORT_HIDE_THRESHOLD = env.int("PLAZA_SPACE_REPORT_HIDE_THRESHOLD", default=3)
# 通星汇: the SMS sender for the prospects' phone check (the console sender logs the code: embedded default only),
# a provider's HTTP API in production; executives ranked apart from everyone else.
PLAZA_SMS_SENDER = env.str("PLAZA_SMS_SENDER", default="plaza.ambassadors.sms.ConsoleSender")
PLAZA_SMS_HTTP_URL = env.str("PLAZA_SMS_HTTP_URL", default="")
PLAZA_SMS_HTTP_TOKEN = env.str("PLAZA_SMS_HTTP_TOKEN", default="")
PLAZA_SMS_SIGN = env.str("PLAZA_SMS_SIGN", default="")
PLAZA_AMBASSADORS_EXECUTIVES_APART = env.bool("PLAZA_AMBASSADORS_EXECUTIVES_APART", default=True)
# 答题: questions a day in 每日答题; answers faster than this (ms) are kept and flagged for the host, not scored.
PLAZA_QUIZ_DAILY_COUNT = env.int("PLAZA_QUIZ_DAILY_COUNT", default=5)
PLAZA_QUIZ_BOT_MS = env.int("PLAZA_QUIZ_BOT_MS", default=300)
