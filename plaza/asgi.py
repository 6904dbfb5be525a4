"""The ASGI application: HTTP to Django, WebSocket to Channels consumers (``plaza/routing.py``).

Served by uvicorn through ``plaza/core/server.py``, in the embedded default (one process) and in
production (several workers behind nginx) alike. ``lifespan`` is answered here, empty: the in-process
scheduler belongs to the server's main process (``plaza.core.server``), not to each worker.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plaza.settings.prod")
# Django is set up before anything imports models (the consumers in the routing do).
django_application = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from plaza.core.fastpath import LandingFastPath  # noqa: E402
from plaza.routing import websocket_urlpatterns  # noqa: E402


async def lifespan(scope: dict, receive, send) -> None:  # noqa: ANN001
    """Accept startup and shutdown so uvicorn neither warns nor waits; nothing runs per worker."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


application = ProtocolTypeRouter(
    {
        # 通星汇's landing page from its warm cached copy before Django's stack; everything else to Django.
        "http": LandingFastPath(django_application),
        # A socket from another site's page is refused (ALLOWED_HOSTS); the session's person is scope["user"].
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
        "lifespan": lifespan,
    }
)
