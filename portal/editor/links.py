"""Tell the workflow code (queue, notifications) that hearing responses and position papers are
written and reviewed in this editor, on the portal, not in the admin."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from portal.hearings.models import HearingResponsePage
from portal.organisations.models import OrganisationDraftPage
from portal.positions.models import PositionPaperPage
from workflows import links

EDITED_MODELS = (HearingResponsePage, PositionPaperPage, OrganisationDraftPage)


def editor_url(page: Any) -> str:
    return reverse("editor:edit", args=[page.pk])


def review_url(page: Any) -> str:
    return reverse("editor:review", args=[page.pk])


def register() -> None:
    for model in EDITED_MODELS:
        links.register(model, editor=editor_url, review=review_url)
