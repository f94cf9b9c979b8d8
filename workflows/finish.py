"""The action run when a workflow is approved (``WAGTAIL_FINISH_WORKFLOW_ACTION``).

Wagtail's default publishes as the approving user *with* permission checks, so an organisation
lead or council chair without publish permission could never finish a workflow. Having passed every
task is the permission: we publish without the check. The deadline guard still applies: raising here
rolls back the whole approval, so nothing moves and the draft stays as it was.

Imported by Wagtail while ``wagtail.models`` is still loading: import nothing from it at module level.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from portal.access.users import User


def publish_approved(workflow_state: Any, user: User | None = None) -> None:
    from .deadlines import guard_deadline

    revision = workflow_state.content_object.get_latest_revision()
    guard_deadline(revision.as_object())
    revision.publish(user=user, skip_permission_checks=True)
