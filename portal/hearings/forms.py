"""Forms of the public site: list filters, input to an umbrella's draft, marking input, asking to
co-sign, and the outcome. Every error is translated and tied to its field."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.access.users import User
from workflows import status as workflow_status

from .models import PublishedPart, ResponseInput

# The same words as the badges (workflows.status is the one vocabulary).
STATUS_CHOICES = [("", _("All"))] + [
    (code, workflow_status.HEARING_LABELS[code]) for code in workflow_status.HEARING_PUBLIC_STATUSES
]


class HearingFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    year = forms.TypedChoiceField(label=_("Year of the deadline"), coerce=int, required=False, empty_value=None)
    owner = forms.ChoiceField(label=_("Responsible unit"), required=False)

    def __init__(self, *args: Any, index: Any, user: User, **kwargs: Any) -> None:
        from . import selectors

        super().__init__(*args, **kwargs)
        year, owner = cast(forms.ChoiceField, self.fields["year"]), cast(forms.ChoiceField, self.fields["owner"])
        year.choices = [("", _("All"))] + [(y, str(y)) for y in selectors.year_choices(index, user)]
        owner.choices = [("", _("All"))] + [(o, o) for o in selectors.owner_choices(index, user)]

    def cleaned_filters(self) -> dict[str, Any]:
        """Valid filters only; an invalid value is reported on its field and ignored."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "status": data.get("status") or "",
            "year": data.get("year") or None,
            "owner": data.get("owner") or "",
        }


class InputForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("Sent on behalf of"), coerce=int)
    section_number = forms.CharField(
        label=_("Section (optional)"), required=False, max_length=20,
        help_text=_("The number of the hearing's section the input is about, e.g. 4.1."),
    )
    text = forms.CharField(label=_("Your input"), widget=forms.Textarea(attrs={"rows": 8}), max_length=10_000)

    def __init__(self, *args: Any, organisations: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["organisation"]).choices = [(o.pk, o.title) for o in organisations]


class MarkInputForm(forms.Form):
    use = forms.ChoiceField(label=_("Used?"), choices=ResponseInput.Use.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=2_000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class CosignRequestForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("Organisation to ask"), coerce=int)

    def __init__(self, *args: Any, organisations: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["organisation"]).choices = [(o.pk, o.title) for o in organisations]


class OutcomeForm(forms.Form):
    summary = forms.CharField(label=_("What the agency decided"), widget=forms.Textarea(attrs={"rows": 6}),
                              max_length=20_000)

    def __init__(self, *args: Any, amendments: list[PublishedPart], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.amendments = amendments
        for part in amendments:
            self.fields[f"disposition_{part.pk}"] = forms.ChoiceField(
                label=_("Disposition"), choices=PublishedPart.Disposition.choices, required=False,
                initial=part.disposition,
            )
            self.fields[f"reason_{part.pk}"] = forms.CharField(
                label=_("Reason"), required=False, max_length=2_000, initial=part.disposition_reason,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self) -> list[tuple[PublishedPart, Any, Any]]:
        return [(p, self[f"disposition_{p.pk}"], self[f"reason_{p.pk}"]) for p in self.amendments]

    def dispositions(self) -> dict[int, tuple[str, str]]:
        return {
            p.pk: (self.cleaned_data.get(f"disposition_{p.pk}") or "", self.cleaned_data.get(f"reason_{p.pk}") or "")
            for p in self.amendments
        }
