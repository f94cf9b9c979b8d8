"""Sub-page views of routable pages, declared beside the views instead of inside the page models.

A page model stays free of view imports; its app's views module says which URLs under the page it
serves. The app imports its views module in ``ready()`` so the routes exist before any request::

    @page_route(HearingPage, "svar/", name="responses_view")
    def owner_responses(request, hearing): ...

Wagtail's RoutablePageMixin collects routes from the classes' attributes, so adding one after the
class was made works as if it had been written in the class body (route names stay the same for
``reverse_subpage``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wagtail.contrib.routable_page.models import path, re_path

View = Callable[..., Any]


def page_route(model: type, pattern: str, *, name: str, regex: bool = False) -> Callable[[View], View]:
    """Serve ``view(request, page, *args, **kwargs)`` at ``pattern`` under every page of ``model``."""

    def decorator(view: View) -> View:
        def route_method(self: Any, request: Any, *args: Any, **kwargs: Any) -> Any:
            return view(request, self, *args, **kwargs)

        route_method.__name__ = name
        route_method.__doc__ = view.__doc__
        (re_path if regex else path)(pattern, name=name)(route_method)
        setattr(model, name, route_method)
        # A resolver built before this route was added would not know it.
        if "_routablepage_urlresolver" in model.__dict__:
            delattr(model, "_routablepage_urlresolver")
        return view

    return decorator
