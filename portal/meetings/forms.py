"""Forms for meetings: the page editor's checks, the minutes editor and the small action forms."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import CollectionViewRestriction

from portal.core.admin_forms import ComparesInlineItemsByContent
from portal.councils.models import CouncilPage


def _collection_is_restricted(document: Any) -> bool:
    collection = document.collection
    ancestors = collection.get_ancestors(inclusive=True)
    return CollectionViewRestriction.objects.filter(collection__in=ancestors).exists()


class MeetingPageForm(ComparesInlineItemsByContent):
    """Refuses a planned meeting in the past, a case number used twice in a council-year, and a
    confidential item whose attachment would be downloadable by anyone."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start = cleaned.get("start")
        if start and cleaned.get("status") == "planned" and start < timezone.now():
            self.add_error("start", _("A planned meeting cannot be in the past. Mark it held or cancelled."))
        end = cleaned.get("end")
        if start and end and end <= start:
            self.add_error("end", _("The meeting must end after it starts."))
        self._check_agenda(start)
        return cleaned

    def _check_agenda(self, start: Any) -> None:
        from .models import OSLO, AgendaItem  # noqa: PLC0415 - models import this module

        formset = self.formsets.get("agenda_items")
        if formset is None or start is None:
            return
        # The page form is cleaned before its formsets: validate them now to read their data.
        formset.is_valid()
        year = timezone.localtime(start, OSLO).year
        council = self.parent_page.specific if self.parent_page else (
            self.instance.get_parent().specific if self.instance.pk else None)
        own_ids = set()
        numbers: dict[int, Any] = {}
        for form in formset.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            if form.instance.pk:
                own_ids.add(form.instance.pk)
        for form in formset.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue
            number = data.get("number")
            if number:
                if number in numbers:
                    form.add_error("number", _("Case number %(number)s/%(year)s is used twice on this agenda.")
                                   % {"number": number, "year": year})
                numbers[number] = form
                if isinstance(council, CouncilPage) and AgendaItem.objects.filter(
                    council=council, year=year, number=number
                ).exclude(pk__in=own_ids).exists():
                    form.add_error("number", _("Case number %(number)s/%(year)s is already used by this council.")
                                   % {"number": number, "year": year})
            document = data.get("attachment")
            if data.get("confidential") and document is not None and not _collection_is_restricted(document):
                form.add_error("attachment", _("The attachment of an exempt item must be in a collection with "
                                               "restricted access, or anyone could download it."))


class MinutesForm(forms.Form):
    """One discussion and one conclusion field per agenda item, plus the version it was loaded at."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    correction_note = forms.CharField(label=_("What was corrected"), max_length=500, required=False)

    def __init__(self, *args: Any, items: list[Any], correcting: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        if not correcting:
            del self.fields["correction_note"]
        else:
            self.fields["correction_note"].required = True
        for item in items:
            self.fields[f"discussion_{item.pk}"] = forms.CharField(
                label=_("Discussion"), required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=20000)
            self.fields[f"conclusion_{item.pk}"] = forms.CharField(
                label=_("Conclusion"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=10000)

    def texts(self) -> dict[int, tuple[str, str]]:
        return {
            item.pk: (self.cleaned_data.get(f"discussion_{item.pk}", ""),
                      self.cleaned_data.get(f"conclusion_{item.pk}", ""))
            for item in self.items
        }

    def item_fields(self) -> list[tuple[Any, Any, Any]]:
        return [(item, self[f"discussion_{item.pk}"], self[f"conclusion_{item.pk}"]) for item in self.items]


class CirculateForm(forms.Form):
    comment_deadline = forms.DateField(label=_("Comments by"), widget=forms.DateInput(attrs={"type": "date"}))


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Why the minutes go back to draft"), widget=forms.Textarea(attrs={"rows": 2}),
                             max_length=500)


class ReferralForm(forms.Form):
    to_council = forms.ModelChoiceField(label=_("Refer to council"), queryset=CouncilPage.objects.none())
    note = forms.CharField(label=_("Note to the receiving council"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)

    def __init__(self, *args: Any, from_council: CouncilPage, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["to_council"]).queryset = CouncilPage.objects.live().filter(
            locale_id=from_council.locale_id).order_by("title")


class PutOnAgendaForm(forms.Form):
    meeting: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Meeting"), queryset=None)

    def __init__(self, *args: Any, meetings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["meeting"]).queryset = meetings


class ArchiveFilterForm(forms.Form):
    council = forms.ChoiceField(label=_("Council"), required=False)
    level = forms.ChoiceField(label=_("Level"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, choices: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        anything = [("", _("All"))]
        fields = cast(dict[str, forms.ChoiceField], self.fields)
        fields["council"].choices = anything + [(str(c.translation_key), c.title) for c in choices["councils"]]
        fields["level"].choices = anything + list(choices["levels"])
        fields["region"].choices = anything + [(r, r) for r in choices["regions"]]
        fields["year"].choices = anything + [(y, y) for y in choices["years"]]
