"""WebSocket routes, filled by the apps that need live updates (答题 contests, 互动).

Each app keeps its consumers in ``<app>/consumers.py`` and adds its paths here, e.g.
``path("ws/contests/<int:pk>/", ContestConsumer.as_asgi())``. Consumers talk to each other through the
channel layer (``CHANNEL_LAYERS``: in memory in the embedded default, Redis pub/sub in production).
"""

from __future__ import annotations

from django.urls import URLPattern, path

from plaza.quiz.consumers import LiveConsumer

websocket_urlpatterns: list[URLPattern] = [
    # 答题 live contests: players' phones and the host's big screen (plaza/quiz/consumers.py)
    path("ws/quiz/live/<int:pk>/", LiveConsumer.as_asgi()),
    path("ws/quiz/live/<int:pk>/host/", LiveConsumer.as_asgi(), {"host": True}),
]
