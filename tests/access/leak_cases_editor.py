"""Private kinds of the portal editor: a comment between an organisation's members on its draft
(with a mention, which notifies a co-member by e-mail)."""

from __future__ import annotations

from django.test import TestCase

from portal.editor import actions
from portal.organisations import actions as organisation_actions
from portal.organisations.models import OrganisationMembership
from tests.access.leak_cases import PrivateCase, private_kind
from tests.access.leak_cases_organisations import FFB, URB, editor_urls, member_of
from tests.hearings.helpers import make_hearing, make_response
from tests.helpers import demo_user


@private_kind("comment on a draft in the editor", notifies=True, past_member=True)
def draft_comment() -> PrivateCase:
    secret = "Hardangerviddekommentaren"
    member = member_of(FFB, "ffb-kommentator")
    other = member_of(URB, "urb-kommentator")
    past = member_of(FFB, "ffb-tidligere-kommentator")
    organisation_actions.membership_remove(
        membership=OrganisationMembership.objects.get(user=past), actor=demo_user("org-leder"))
    draft = make_response(make_hearing("lekk-kommentar"), user=demo_user("org-medlem"))
    actions.comment_add(page=draft, user=demo_user("org-medlem"), body=f"{secret} om Varangerhalvoya.",
                        quote="Hallingskarvet")

    def mention() -> None:
        # Only co-members are notified: the other organisation's member and the moderator are
        # named too, and must get nothing.
        with TestCase.captureOnCommitCallbacks(execute=True):
            actions.comment_add(page=draft, user=demo_user("org-medlem"),
                                body=f"@ffb-kommentator @urb-kommentator @moderator: {secret}")

    return PrivateCase(
        secret=secret, hidden=("Varangerhalvoya", "Hallingskarvet"), member=member, other_member=other,
        urls={"page": editor_urls(draft)}, member_sees=("page",),
        trigger_notifications=mention, notified_members=(member, demo_user("org-medlem")), past_member=past,
    )
