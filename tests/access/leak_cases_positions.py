"""Private kinds of the position-papers area: a draft position paper in an organisation's space,
shared with the members there (published inside the space) and edited further, never approved."""

from __future__ import annotations

from tests.access.leak_cases import PrivateCase, private_kind
from tests.access.leak_cases_organisations import admin_urls, editor_urls, member_of
from tests.positions.helpers import FFB, URB, draft


@private_kind("position paper draft")
def position_paper_draft() -> PrivateCase:
    secret = "Galdhopiggenstandpunktet"
    member = member_of(FFB, "ffb-standpunktleser")
    other = member_of(URB, "urb-standpunktleser")
    page = draft(title=f"Standpunkt {secret}", summary=f"{secret} og Besseggen.",
                 body=f"<p>{secret} om Romsdalseggen.</p>", topics=("Skagastølstindemne",))
    page.get_latest_revision().publish(skip_permission_checks=True)  # members read it in the space
    page.body = f"<p>{secret} om Romsdalseggen, med Kjeragbolten.</p>"
    page.save_revision()
    urls = {"page": [page.url, *editor_urls(page)], "listing": ["/standpunkt/", "/standpunkt/?tema=skagastolstindemne"],
            **admin_urls(page)}
    return PrivateCase(
        secret=secret, hidden=("Besseggen", "Romsdalseggen", "Kjeragbolten", "Skagastølstindemne"),
        member=member, other_member=other, urls=urls, member_sees=("page",),
    )
