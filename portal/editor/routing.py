"""WebSocket routes of the portal editor (portal/asgi.py)."""

from django.urls import path

from .consumers import LiveEditorConsumer

websocket_urlpatterns = [
    path("ws/utkast/<int:page_id>", LiveEditorConsumer.as_asgi()),
]
