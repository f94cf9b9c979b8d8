"""The person's workspace on the portal ("Mitt arbeidsrom"). Thin: reads come from ``selectors``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import selectors


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(request, "workspace/home.html", {
        "waiting": selectors.waiting_for(user),
        "hearing_groups": selectors.response_drafts(user),
        "position_drafts": selectors.position_drafts(user),
        "other_drafts": selectors.other_drafts(user),
        "organisations": selectors.my_organisations(user),
        "councils": selectors.my_councils(user),
    })
