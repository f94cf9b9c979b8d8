"""Checks on a response's section parts against the hearing they answer."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def check_parts(hearing: Any, parts: list[Any]) -> None:
    """Every part must point at a section the hearing has now, and an amendment needs its text."""
    if hearing is None:
        if parts:
            raise ValidationError(_("Choose the hearing this response answers."))
        return
    known = {section.number.strip() for section in hearing.sections.all()}
    errors = []
    for part in parts:
        number = (part.section_number or "").strip()
        if number not in known:
            errors.append(
                _("Section %(number)s does not exist in this hearing (or was removed). Sections: %(known)s.")
                % {"number": number or "–", "known": ", ".join(sorted(known)) or "–"}
            )
        elif part.kind == "amendment" and not (part.replacement or "").strip():
            errors.append(_("The amendment to section %(number)s has no replacement text.") % {"number": number})
        elif part.kind == "comment" and not (part.comment or "").strip():
            errors.append(_("The comment on section %(number)s is empty.") % {"number": number})
    if errors:
        raise ValidationError(errors)
