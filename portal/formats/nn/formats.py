"""Nynorsk writes dates and times as Bokmål does ("27. november 2026 17:29", short "27.11.2026");
the month names come from the Nynorsk catalogue."""

from portal.formats.nb.formats import *  # noqa: F403 - the same formats as Bokmål
