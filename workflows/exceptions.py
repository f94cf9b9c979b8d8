"""The one error every refused workflow step raises."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied


class WorkflowRefused(PermissionDenied):
    """A workflow step was refused; ``message`` is translated and safe to show to the person.

    A subclass of PermissionDenied so that a refusal reaching Wagtail's own admin views becomes a
    403 rather than a server error, and nothing after it runs.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = str(message)

    def __str__(self) -> str:
        return self.message
