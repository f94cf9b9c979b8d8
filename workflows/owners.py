"""Which page places an object in the tree, for objects that are not pages but go through our
workflows (minutes, through their meeting). Who owns that page, and who leads the owner, is
portal.access.membership's to answer."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from wagtail.models import Page

# Objects that are not pages but go through a workflow (minutes): model -> the field naming the page
# that places them in the tree. Their owner is that page's owner.
_anchors: dict[type[Model], str] = {}


def register_anchor(model: type[Model], page_field: str) -> None:
    """Let a non-page model take part in our workflows: ``page_field`` names its page (e.g. the
    minutes' meeting), whose place in the tree decides who approves. Call from an app's ``ready()``."""
    _anchors[model] = page_field


def anchored_models() -> dict[type[Model], str]:
    return dict(_anchors)


def anchor_page(obj: Any) -> Page | None:
    """The page that places ``obj`` in the tree: the page itself, or a registered object's page."""
    if isinstance(obj, Page):
        return obj
    for model, field in _anchors.items():
        if isinstance(obj, model):
            return getattr(obj, field, None)
    return None
