"""The embedded default: SQLite, no Redis, in-process scheduler, demo data."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("PLAZA_DEBUG", default=True)
# Development keys only: production must set PLAZA_FIELD_KEYS (see docs/production.md).
PLAZA_FIELD_KEYS = env.list("PLAZA_FIELD_KEYS", default=["mXuKkPz3q3yq0q9d6B5xYw1o3V6m2sQm9yJ8cZ0wV4U="])
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The embedded SQLite database and uploads live in var/, made on first start.
from .base import VAR_DIR  # noqa: E402

VAR_DIR.mkdir(parents=True, exist_ok=True)
WHITENOISE_AUTOREFRESH = DEBUG
