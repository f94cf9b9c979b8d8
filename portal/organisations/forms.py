"""Forms for managing an organisation's members on the public site."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from . import selectors
from .models import OrganisationMembership


class AddMemberForm(forms.Form):
    identifier = forms.CharField(
        label=_("Username or e-mail address"), max_length=254,
        help_text=_("The person must already have an account on the portal."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=OrganisationMembership.Role.choices,
                             initial=OrganisationMembership.Role.MEMBER)

    def clean_identifier(self) -> Any:
        identifier = self.cleaned_data["identifier"]
        users = selectors.find_user(identifier)
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
