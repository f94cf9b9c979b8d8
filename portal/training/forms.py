"""Forms of the training pages on the portal."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Course, Module

LOCAL_DATETIME = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"]


class _LocalDateTime(forms.DateTimeField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(input_formats=LOCAL_DATETIME,
                         widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
                         **kwargs)


class CourseForm(forms.Form):
    module = forms.TypedChoiceField(label=_("Module"), choices=Module.choices, coerce=int)
    title = forms.CharField(label=_("Title"), max_length=200)
    starts = _LocalDateTime(label=_("Starts"))
    ends = _LocalDateTime(label=_("Ends"))
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    online = forms.BooleanField(label=_("Online"), required=False)
    county_office = forms.BooleanField(label=_("Arranged by the agency's county office"), required=False)
    arrangers = forms.MultipleChoiceField(label=_("Arranging organisations"), required=False,
                                          widget=forms.CheckboxSelectMultiple)
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=1000)
    signup_deadline = _LocalDateTime(label=_("Sign-up deadline"))
    payer = forms.ChoiceField(label=_("Paid by"), choices=Course.Payer.choices)
    travel_covered = forms.BooleanField(label=_("Travel and lodging covered"), required=False)
    cost = forms.DecimalField(label=_("Cost (NOK)"), required=False, min_value=0, max_digits=10, decimal_places=2)
    cost_note = forms.CharField(label=_("Note on costs"), required=False, max_length=2000,
                                widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, organisations: list[Any], secretary: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {str(org.pk): org for org in organisations}
        cast(forms.ChoiceField, self.fields["arrangers"]).choices = [(str(org.pk), org.title) for org in organisations]
        if not secretary:
            # An organisation's lead arranges module 1 for their own organisation.
            cast(forms.ChoiceField, self.fields["module"]).choices = [(Module.ONE, Module.ONE.label)]
            del self.fields["county_office"]

    def clean_arrangers(self) -> list[Any]:
        return [self.organisations[pk] for pk in self.cleaned_data["arrangers"]]


class SignUpForm(forms.Form):
    needs = forms.CharField(
        label=_("Needs we should know about (accessibility, interpreter, diet)"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only the arranger and the council's secretary and chair see this."),
    )


RATINGS = [(score, str(score)) for score in range(1, 6)]


class EvaluationForm(forms.Form):
    overall = forms.TypedChoiceField(label=_("How useful was the course? (1 = not at all, 5 = very)"),
                                     choices=RATINGS, coerce=int, widget=forms.RadioSelect)
    role_clarity = forms.TypedChoiceField(
        label=_("After the course I know what is expected of me on the council (1 = not at all, 5 = fully)"),
        choices=RATINGS, coerce=int, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Comments (shown to the arranger without your name)"), required=False,
                              max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))


class RenewalForm(forms.Form):
    renewal_months = forms.IntegerField(
        label=_("Completed modules should be renewed after (months)"), required=False, min_value=1, max_value=240,
        help_text=_("Leave empty if a completed module stays valid."),
    )


class CompletionForm(forms.Form):
    """A module completed outside the portal, recorded by the secretary."""

    member = forms.TypedChoiceField(label=_("Member"), coerce=int)
    module = forms.TypedChoiceField(label=_("Module"), choices=Module.choices, coerce=int)
    completed_on = forms.DateField(label=_("Completed on"), input_formats=["%Y-%m-%d", "%d.%m.%Y"],
                                   widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args: Any, members: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["member"]).choices = members
