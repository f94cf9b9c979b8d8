"""Posting the portal editor's form as a browser without JavaScript does."""

from __future__ import annotations

from typing import Any

from portal.core.edit_conflicts import latest_revision


def loaded(page: Any) -> dict[str, str]:
    latest = latest_revision(page)
    return {"loaded_revision_id": str(latest.pk), "loaded_revision_created_at": latest.created_at.isoformat()}


def response_post(page: Any, *, title: str = "Svar fra FFB", remarks: str = "<p>Vi støtter forslaget.</p>",
                  parts: list[tuple[str, str, str, str]] = (), action: str = "save",
                  loaded_from: dict[str, str] | None = None) -> dict[str, str]:
    data = {"title": title, "general_remarks": remarks, "action": action, **(loaded_from or loaded(page)),
            "parts-TOTAL_FORMS": str(len(parts) + 1), "parts-INITIAL_FORMS": "0",
            "parts-MIN_NUM_FORMS": "0", "parts-MAX_NUM_FORMS": "1000"}
    for index, (number, kind, comment, replacement) in enumerate(parts):
        data.update({f"parts-{index}-section_number": number, f"parts-{index}-kind": kind,
                     f"parts-{index}-comment": comment, f"parts-{index}-replacement": replacement})
    # The empty row for a new part, untouched.
    data[f"parts-{len(parts)}-kind"] = "comment"
    return data
