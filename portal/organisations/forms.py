"""Forms for managing an organisation's members on the public site."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.access.people import find_user

from .models import OrganisationMembership


class DescribedFieldsMixin:
    """Ties each input to its help text and its errors (``aria-describedby``), so screen readers
    announce why a value was refused; the template renders them with these ids."""

    def full_clean(self) -> None:
        super().full_clean()
        for name, field in self.fields.items():
            bound = self[name]
            ids = [f"{bound.auto_id}_helptext"] if field.help_text else []
            if name in self.errors:
                ids.append(f"{bound.auto_id}_errors")
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)


class AddMemberForm(DescribedFieldsMixin, forms.Form):
    identifier = forms.CharField(
        label=_("Username or e-mail address"), max_length=254,
        help_text=_("The person must already have an account on the portal."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=OrganisationMembership.Role.choices,
                             initial=OrganisationMembership.Role.MEMBER)

    def clean_identifier(self) -> Any:
        identifier = self.cleaned_data["identifier"]
        users = find_user(identifier)
        if not users:
            raise forms.ValidationError(_("No account has that username or e-mail address."), code="unknown_user")
        if len(users) > 1:
            raise forms.ValidationError(
                _("More than one account has that e-mail address. Use the username instead."), code="ambiguous_user"
            )
        return users[0]


class ChangeRoleForm(forms.Form):
    membership = forms.IntegerField(widget=forms.HiddenInput)
    role = forms.ChoiceField(label=_("Role"), choices=OrganisationMembership.Role.choices)


class RemoveMemberForm(forms.Form):
    membership = forms.IntegerField(widget=forms.HiddenInput)
