"""Page editor forms that tell the truth about whether anything changed.

A live page's draft keeps new inline items (a response's parts, a hearing's sections) only in its
revision, without database ids. When the editor is posted again, Django's formset finds no id for
those items and reports every one of them as changed, although the person changed nothing.
Wagtail then saves a new revision before a workflow action (approve, request changes), and with
``WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT`` that revision voids the approval: the page goes back
to the first step every time its reviewer approves it, and never gets published.
"""

from __future__ import annotations

from typing import Any

from wagtail.admin.forms import WagtailAdminPageForm

# Bookkeeping fields of an inline form, not content.
_BOOKKEEPING = {"id", "ORDER", "DELETE"}


class ComparesInlineItemsByContent(WagtailAdminPageForm):
    """``has_changed`` compares the posted inline items with the draft's items by their content (in
    order), not by database id."""

    def has_changed(self) -> bool:
        if self.changed_data:
            return True
        return any(self._formset_changed(name, formset) for name, formset in self.formsets.items())

    def _formset_changed(self, name: str, formset: Any) -> bool:
        if not formset.has_changed():
            return False
        items = getattr(self.instance, name, None)
        if items is None or not hasattr(items, "all") or not formset.is_valid():
            return True
        fields = [field for field in formset.form.base_fields if field not in _BOOKKEEPING]
        # In the order they will be saved in (ordered_forms leaves out deleted and empty extra forms).
        forms = formset.ordered_forms if formset.can_order else formset.forms
        posted = [
            [form.cleaned_data.get(field) for field in fields]
            for form in forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        saved = [[getattr(item, field, None) for field in fields] for item in items.all()]
        return posted != saved
