"""Page editor forms that tell the truth about whether anything changed.

A live page's draft keeps new inline items (a response's parts, a hearing's sections) only in its
revision, without database ids. When the editor is posted again, Django's formset finds no id for
those items and reports every one of them as changed, although the person changed nothing.
Wagtail then saves a new revision before a workflow action (approve, request changes), and with
``WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT`` that revision voids the approval: the page goes back
to the first step every time its reviewer approves it, and never gets published.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.documents import get_document_model

from portal.access.visibility import can_view

# Bookkeeping fields of an inline form, not content.
_BOOKKEEPING = {"id", "ORDER", "DELETE"}


_DOCUMENT_LINK = re.compile(r"<a\b[^>]*>", re.IGNORECASE)
_LINKTYPE_DOCUMENT = re.compile(r'\blinktype="document"', re.IGNORECASE)
_ID = re.compile(r'\bid="(\d+)"', re.IGNORECASE)


def linked_document_ids(html: str) -> set[int]:
    """Ids of Wagtail documents linked from rich text as stored (``<a linktype="document" id="…">``)."""
    ids = set()
    for tag in _DOCUMENT_LINK.findall(html or ""):
        if _LINKTYPE_DOCUMENT.search(tag) and (found := _ID.search(tag)):
            ids.add(int(found.group(1)))
    return ids


class RefusesHiddenDocumentLinks(WagtailAdminPageForm):
    """Refuses to save rich text linking a document the editor may not see.

    The chooser offers only documents the editor may choose, but a link can name any document by id
    (typed in the source, or pasted). Saved, it would tell readers of the page about a private
    document, and before #17 the search index took the document's text with the page's audience."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        user = getattr(self, "for_user", None) or AnonymousUser()  # Wagtail's admin forms always have it
        Document = get_document_model()
        for name, value in list(cleaned.items()):
            if not isinstance(value, str) or 'linktype="document"' not in value:
                continue
            ids = linked_document_ids(value)
            found = {document.pk: document for document in Document.objects.filter(pk__in=ids)}
            refused = sorted(pk for pk in ids if pk not in found or not can_view(user, found[pk]))
            if refused:
                # The title is not named: the editor may not know it.
                self.add_error(name, _("This text links to a document you do not have access to (document "
                                       "%(ids)s). Remove the link or ask someone who may see it.")
                               % {"ids": ", ".join(str(pk) for pk in refused)})
        return cleaned


class PortalPageForm(RefusesHiddenDocumentLinks):
    """The editor form of every page type with rich text (see ``base_form_class``)."""


class ComparesInlineItemsByContent(RefusesHiddenDocumentLinks):
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
