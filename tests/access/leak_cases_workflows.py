"""Private kinds of the workflows area: an organisation's draft going through approval. Its title
and the reviewers' comments travel through the history page, the comparison page, the review queue,
the notification list and the e-mails; none of them may reach anyone outside the organisation (or,
while it waits for moderation, outside the moderators)."""

from __future__ import annotations

from django.test import TestCase

from portal.organisations.models import OrganisationDraftPage, OrganisationSpacePage
from tests.access.leak_cases import PrivateCase, private_kind
from tests.helpers import demo_page, demo_user
from workflows import actions

FFB = "fellesforbundet-for-brukerorganisasjoner"


def _draft(secret: str, hidden: str) -> OrganisationDraftPage:
    space = OrganisationSpacePage.objects.child_of(demo_page(FFB)).get()
    draft = OrganisationDraftPage(title=f"Utkast {secret}", slug=secret.lower(), body=f"<p>{hidden} i teksten</p>",
                                  live=False, owner=demo_user("org-medlem"))
    space.add_child(instance=draft)
    draft.save_revision(user=demo_user("org-medlem"))
    return draft


@private_kind("organisation draft submitted for approval", notifies=True)
def draft_submitted_for_approval() -> PrivateCase:
    draft = _draft("Havsuleklippen", "Grottelys")

    def submit_and_reject() -> None:
        # Submission e-mails the lead; the rejection e-mails the author, with the reason.
        with TestCase.captureOnCommitCallbacks(execute=True):
            actions.submit_for_moderation(page=draft, user=demo_user("org-medlem"))
        draft.refresh_from_db()
        with TestCase.captureOnCommitCallbacks(execute=True):
            actions.reject(task_state=draft.current_workflow_state.current_task_state, user=demo_user("org-leder"),
                           comment="Havsuleklippen må med i punkt 2.")

    return PrivateCase(
        secret="Havsuleklippen", hidden=("Grottelys",),
        member=demo_user("org-leder"), other_member=demo_user("urb-leder"),
        urls={"page": [f"/arbeidsflyt/historikk/{draft.pk}/"]},
        trigger_notifications=submit_and_reject,
        notified_members=(demo_user("org-leder"), demo_user("org-medlem")),
    )


@private_kind("organisation draft waiting for moderation", insiders=("moderator",))
def draft_waiting_for_moderation() -> PrivateCase:
    draft = _draft("Hornelen", "Skarvehylla")
    with TestCase.captureOnCommitCallbacks(execute=True):
        actions.submit_for_moderation(page=draft, user=demo_user("org-medlem"))
        draft.refresh_from_db()
        actions.approve(task_state=draft.current_workflow_state.current_task_state, user=demo_user("org-leder"),
                        comment="Godkjent: Skarvehylla-avsnittet er bra.")
    draft.refresh_from_db()
    task_state = draft.current_workflow_state.current_task_state
    return PrivateCase(
        secret="Hornelen", hidden=("Skarvehylla",),
        # The moderator reviews it; a lead of another organisation must see nothing of it.
        member=demo_user("moderator"), other_member=demo_user("urb-leder"),
        urls={
            "page": [f"/arbeidsflyt/historikk/{draft.pk}/"],
            "revisions": [f"/arbeidsflyt/{task_state.pk}/sammenlign/"],
        },
        member_sees=("page", "revisions", "listing"),
    )


@private_kind("reviewer's reason on a public page's history", insiders=("moderator",))
def reason_on_public_history() -> PrivateCase:
    """#17 finding 6: the chair's reason for requesting changes is internal; once the page is public,
    its history shows public readers that it was submitted and published, and when, nothing more.
    (Moderators keep the full history: they are staff who review.)"""
    from tests.workflows.conftest import council_draft, submit, task_state

    secret = "Isbjornvakta"
    page = council_draft(title="Offentlig referat med historikk")
    submit(page, "utvalgssekretaer")
    actions.reject(task_state=task_state(page), user=demo_user("utvalgsleder"),
                   comment=f"{secret}: ta ut Kvalrossbukta fra punkt 2.")
    submit(page, "utvalgssekretaer")
    actions.approve(task_state=task_state(page), user=demo_user("utvalgsleder"))
    page.refresh_from_db()
    assert page.live
    return PrivateCase(
        secret=secret, hidden=("Kvalrossbukta",), member=demo_user("utvalgssekretaer"),
        other_member=demo_user("fylkesutvalgsmedlem"),
        urls={"listing": [f"/arbeidsflyt/historikk/{page.pk}/", page.url]}, member_sees=("listing",),
    )
