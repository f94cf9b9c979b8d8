"""Forms of a council's private space on the public site: threads, replies, hiding, internal
documents. (Membership forms are the shared member page's: members.py.) Thin: the rules are in actions.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .actions import MAX_ATTACHMENTS_PER_POST, MAX_BODY_LENGTH, MAX_REASON_LENGTH, MAX_TITLE_LENGTH
from .uploads import allowed_labels, check_upload, max_bytes


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by content (size and type) in ``clean``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = [item for item in (data if isinstance(data, (list, tuple)) else [data]) if item]
        if len(files) > MAX_ATTACHMENTS_PER_POST:
            raise ValidationError(
                _("You can attach at most %(count)s files to one post.") % {"count": MAX_ATTACHMENTS_PER_POST}
            )
        errors: list[str] = []
        for upload in files:
            try:
                check_upload(upload)
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return files


def _attachment_help() -> str:
    return _("Optional. Up to %(count)s files of at most %(size)s each. Allowed types: %(types)s.") % {
        "count": MAX_ATTACHMENTS_PER_POST, "size": filesizeformat(max_bytes()), "types": allowed_labels(),
    }


class PostFormMixin:
    fields: dict[str, forms.Field]  # the form's, once mixed into one

    def add_attachment_field(self) -> None:
        self.fields["attachments"] = MultipleFileField(label=_("Attachments"), required=False)
        self.fields["attachments"].help_text = _attachment_help()


class ThreadForm(forms.Form, PostFormMixin):
    title = forms.CharField(label=_("Title"), max_length=MAX_TITLE_LENGTH)
    body = forms.CharField(
        label=_("Message"), max_length=MAX_BODY_LENGTH, widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Plain text, or simple formatting (bold, italics, lists, links)."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_attachment_field()


class ReplyForm(forms.Form, PostFormMixin):
    body = forms.CharField(
        label=_("Your reply"), max_length=MAX_BODY_LENGTH, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Plain text, or simple formatting (bold, italics, lists, links)."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_attachment_field()


class HideForm(forms.Form):
    post = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason for hiding"), max_length=MAX_REASON_LENGTH,
                             widget=forms.Textarea(attrs={"rows": 2}))


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255, required=False,
                            help_text=_("Leave empty to use the file name."))
    file = forms.FileField(label=_("File"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("At most %(size)s. Allowed types: %(types)s.") % {
            "size": filesizeformat(max_bytes()),
            "types": allowed_labels(),
        }

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        check_upload(upload)
        return upload
