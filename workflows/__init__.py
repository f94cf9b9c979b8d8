"""Workflow tasks, moderation and notifications for everything the portal publishes.

Public API for other apps:

- Tasks (``workflows.models``): ``OrganisationApprovalTask`` (a lead of the OrganisationPage above
  the object; leads may not approve what only they wrote unless ``allow_self_approval``),
  ``CouncilChairApprovalTask`` (current chair/deputy chair of the CouncilPage above the object),
  ``ModerationTask`` (group Moderators, optionally limited by ``ModeratorScope``).
- Places (``workflows.setup``): organisation spaces → organisation approval + moderation, hearing
  index → moderation, everything else → moderation. ``assign_minutes_workflow(page)`` gives a
  council's minutes parent chair approval; ``register_place(Model, kind)`` assigns a kind to every
  page of a model, now and on every save.
- Deadline guard (``workflows.deadlines``): an object with ``workflow_deadline()`` returning an
  aware datetime (or a ``hearing`` with a ``deadline``, or a HearingPage parent) cannot be
  submitted, approved or published after it. ``guard_deadline(obj)`` raises ``WorkflowRefused``.
- Steps (``workflows.actions``): ``submit_for_moderation``, ``approve``, ``reject`` (reason
  required), ``withdraw``, ``record_hidden`` (for hiding posts, with a reason).
- History: ``{% include "workflows/history.html" with object=page %}`` or
  ``selectors.history_for(obj, user)``; empty for anyone who may not see the object.
"""
