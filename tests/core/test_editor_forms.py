"""Every page type edited with inline items (a hearing's sections, a response's parts, a meeting's
agenda and attendance) uses the editor form that compares those items by content. Without it, a
reviewer who approves a live page's draft in the editor without changing anything makes Wagtail
save a new revision, which voids the approval and sends the page back to the first step for ever
(found by the browser journey; tests/hearings/test_editor_workflow.py shows the loop itself)."""

from __future__ import annotations

from wagtail.admin.panels import InlinePanel
from wagtail.models import get_page_models

from portal.core.admin_forms import ComparesInlineItemsByContent


def _has_inline_panel(panel) -> bool:
    if isinstance(panel, InlinePanel):
        return True
    return any(_has_inline_panel(child) for child in getattr(panel, "children", []))


def test_every_page_type_with_inline_items_compares_them_by_content():
    with_inline = [model for model in get_page_models() if _has_inline_panel(model.get_edit_handler())]
    assert {model.__name__ for model in with_inline} >= {"HearingPage", "HearingResponsePage", "MeetingPage"}
    wrong = [model.__name__ for model in with_inline
             if not issubclass(model.get_edit_handler().get_form_class(), ComparesInlineItemsByContent)]
    assert wrong == []
