"""The member list of an organisation on the public site: members read it, leads manage it and
invite people. One shared implementation for every kind of membership (portal/core/members.py),
configured for organisations in members.py."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from portal.core.members import members as member_page
from portal.core.routes import page_route

from .members import MEMBER_PAGE
from .models import OrganisationPage


@page_route(OrganisationPage, "medlemmer/", name="members")
def members(request: HttpRequest, page: OrganisationPage) -> HttpResponse:
    return member_page(request, page, MEMBER_PAGE)
