"""Norwegian text to ASCII, for slugs and download names: æ, ø (and Æ, Ø) do not decompose under
Unicode normalisation, so Django's ``slugify`` would drop them ("høring" → "hring")."""

from __future__ import annotations

from django.utils.text import slugify

# Letters NFKD does not decompose (å does: a + ring, which slugify then drops to "a").
ASCII_LETTERS = str.maketrans({"æ": "ae", "Æ": "Ae", "ø": "o", "Ø": "O", "ß": "ss"})


def ascii_slug(value: str) -> str:
    """``slugify`` that writes æ, ø, å as ae, o, a instead of dropping them."""
    return slugify(str(value).translate(ASCII_LETTERS))
