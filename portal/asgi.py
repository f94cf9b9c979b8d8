"""ASGI entry point: the site over HTTP and the editor's live co-editing over WebSockets.

Production: ``uvicorn portal.asgi:application`` (README, "Live editing (ASGI)"). `make run` serves
this too (with static files, as runserver would)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")

# Django first: the routes below import models.
django_application = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler  # noqa: E402

from portal.editor.routing import websocket_urlpatterns  # noqa: E402

if settings.DEBUG:
    # What runserver does for a developer: static files from the app and project directories.
    django_application = ASGIStaticFilesHandler(django_application)

application = ProtocolTypeRouter({
    "http": django_application,
    # A page of another site cannot open a socket with the member's cookie (Origin must be ours).
    "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
})
