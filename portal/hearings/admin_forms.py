"""The editor form of a response: its section parts are checked against the hearing's sections
when the draft is saved in the admin, with the error shown in the form (nothing is saved)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.core.exceptions import ValidationError

from portal.core.admin_forms import ComparesInlineItemsByContent

from .validation import check_parts


class HearingPageForm(ComparesInlineItemsByContent):
    """The hearing's editor form (its sections and attachments are inline items)."""


class HearingResponseForm(ComparesInlineItemsByContent):
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        hearing = cleaned.get("hearing")
        formset = self.formsets.get("parts")
        if hearing is None or formset is None or not formset.is_valid():
            return cleaned
        parts = [
            SimpleNamespace(**{name: form.cleaned_data.get(name, "") for name in
                               ("section_number", "kind", "comment", "replacement")})
            for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        try:
            check_parts(hearing, parts)
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned
