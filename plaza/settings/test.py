"""Settings for the test suite. PLAZA_DATABASE_URL picks SQLite (default) or PostgreSQL."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
PLAZA_FIELD_KEYS = ["Cg0W7JbW6sO9Z3S8u5c0V1Lr2fKk7bQy4hN1pXo3tE8=", "v4nTq1fZk9yH2mR7wP0sL3xC6bJ8dG5aE1uN4iO7kQc="]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_TASK_ALWAYS_EAGER = True
PLAZA_IN_PROCESS_SCHEDULER = False
PLAZA_ASSISTANT_WARMUP = False  # 党群小智's background index build (plaza/assistant/warmup.py); its tests turn it on
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_ENABLED = env.bool("PLAZA_TEST_AXES", default=True)
LANGUAGE_CODE = "zh-hans"
# A test serving plaza.asgi under uvicorn (the live quiz) has no collectstatic output on a fresh clone:
# WhiteNoise serves the originals from the finders, as Django's live server does.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Let the suite empty the audit table between transactional tests (see audit migration 0002).
PLAZA_AUDIT_PURGE_ALLOWED = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c plaza.audit_purge=on"  # noqa: F405

# An audit action must be registered in plaza/audit/actions.py (with its label); record() refuses others here.
PLAZA_AUDIT_STRICT = True
