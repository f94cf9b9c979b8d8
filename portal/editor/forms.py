"""Forms of the portal editor. They only read what was posted; the rules are in ``actions``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.hearings.models import ResponsePart


class _Loaded(forms.Form):
    """Which revision the editor was loaded from: a save from an older one is refused."""

    loaded_revision_id = forms.CharField(widget=forms.HiddenInput, required=False)
    loaded_revision_created_at = forms.CharField(widget=forms.HiddenInput, required=False)


class ResponseForm(_Loaded):
    title = forms.CharField(label=_("Title"), max_length=255)
    general_remarks = forms.CharField(
        label=_("General remarks"), required=False,
        widget=forms.Textarea(attrs={"rows": 8, "class": "rich-text-source", "data-rich-text": "remarks"}),
        help_text=_("Headings, lists, links and emphasis are kept; without the toolbar, separate paragraphs "
                    "with a blank line."),
    )


    original = forms.FileField(
        label=_("Original document"), required=False,
        help_text=_("Optional: the response as your organisation signed it (PDF, DOCX or ODT). It is published "
                    "with the response."),
    )


class PartForm(forms.Form):
    part_id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    section_number = forms.ChoiceField(label=pgettext_lazy("hearing text", "Section"))
    kind = forms.ChoiceField(label=_("Kind"), choices=ResponsePart.Kind.choices, initial=ResponsePart.Kind.COMMENT)
    comment = forms.CharField(label=_("Comment or justification"), required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))
    replacement = forms.CharField(
        label=_("Proposed replacement text"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For an amendment: the whole new text of the section."),
    )

    def __init__(self, *args: Any, sections: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The hearing's own list, never free text.
        cast(forms.ChoiceField, self.fields["section_number"]).choices = [("", _("Choose a section"))] + [
            (section.number.strip(), f"{section.number} {section.heading}") for section in sections
        ]


PartFormSet = forms.formset_factory(PartForm, extra=1, can_delete=True, max_num=100, validate_max=True)


class PositionPaperForm(_Loaded):
    title = forms.CharField(label=_("Title"), max_length=255)
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("Two or three sentences shown in the list."))
    body = forms.CharField(
        label=_("Text"), required=False,
        widget=forms.Textarea(attrs={"rows": 14, "class": "rich-text-source", "data-rich-text": "body"}),
        help_text=_("Headings, lists, links and emphasis are kept; without the toolbar, separate paragraphs "
                    "with a blank line."),
    )


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000,
                           help_text=_("Write @ and a colleague's user name to notify them."))
    anchor = forms.CharField(required=False, max_length=40)
    quote = forms.CharField(required=False, max_length=2000, label=_("Quoted passage (optional)"))
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Return with a comment"))])
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                              max_length=5000)


class WorkingDraftForm(_Loaded):
    """An organisation's working document (not a response or a position paper)."""

    title = forms.CharField(label=_("Title"), max_length=255)
    body = forms.CharField(
        label=_("Text"), required=False,
        widget=forms.Textarea(attrs={"rows": 14, "class": "rich-text-source", "data-rich-text": "body"}),
        help_text=_("Headings, lists, links and emphasis are kept; without the toolbar, separate paragraphs "
                    "with a blank line."),
    )
