"""Production: PostgreSQL, Redis, Celery workers and beat, behind nginx. See docs/production.md."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env.str("PLAZA_SECRET_KEY")
PLAZA_FIELD_KEYS = env.list("PLAZA_FIELD_KEYS")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("PLAZA_SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("PLAZA_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("PLAZA_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_REFERRER_POLICY = "same-origin"

# Demo data and the benchmark generator (seed_demo) have no place on a real installation.
INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "plaza.demo"]  # noqa: F405

# Several uvicorn workers (and hosts): the channel layer must be shared, so production always uses Redis pub/sub.
CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
        # Connected only when a consumer uses it, so a process without sockets (a benchmark) needs no Redis.
        "CONFIG": {"hosts": [REDIS_URL or "redis://127.0.0.1:6379/0"]},  # noqa: F405
    }
}
