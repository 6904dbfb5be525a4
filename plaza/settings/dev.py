"""The embedded default: SQLite, no Redis, in-process scheduler, demo data.

DEBUG stays off unless PLAZA_DEBUG=true: the embedded default may well be reached from a phone on the
local network, and tracebacks are not for users. Static files: hashed and compressed by collectstatic (WhiteNoise).
"""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("PLAZA_DEBUG", default=False)
# Static files as in production: hashed names from var/static (scripts/start.sh runs collectstatic), cached for a
# year and compressed (STORAGES in base.py).

# The embedded SQLite database, uploads and this installation's own keys live in var/, made on first start.
from .base import VAR_DIR  # noqa: E402

VAR_DIR.mkdir(parents=True, exist_ok=True)
# collectstatic fills STATIC_ROOT; made here so WhiteNoise does not warn before the first run.
(VAR_DIR / "static").mkdir(exist_ok=True)


def _local_secret(name: str, make: object) -> str:
    """A key generated once for this installation and kept in var/ (never in the repository)."""
    path = VAR_DIR / name
    if not path.exists():
        path.write_text(make())  # type: ignore[operator]
        path.chmod(0o600)
    return path.read_text().strip()


if not env.str("PLAZA_SECRET_KEY", default=""):
    import secrets

    SECRET_KEY = _local_secret("secret_key", lambda: secrets.token_urlsafe(50))
PLAZA_FIELD_KEYS = env.list("PLAZA_FIELD_KEYS", default=[])
if not PLAZA_FIELD_KEYS:
    from cryptography.fernet import Fernet

    PLAZA_FIELD_KEYS = [_local_secret("field_key", lambda: Fernet.generate_key().decode())]
# uvicorn serves static files through WhiteNoise: the hashed, compressed copies collectstatic put in var/static
# (cached for a year), and, should a file be missing there, the unhashed original from the finders (cached for a
# minute) so a page never loses its style. Indexed once at start, re-read on every request only when debugging.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
