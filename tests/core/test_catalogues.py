"""The Bokmål and Nynorsk catalogues are complete: no user-facing string falls back to English."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_catalogue_has_no_untranslated_or_fuzzy_entries(language):
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "gettext's msgfmt is needed to compile the catalogues (apt-get install gettext)"
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    result = subprocess.run(  # noqa: S603 - fixed arguments, our own file
        [msgfmt, "--check", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    stats = result.stderr
    assert re.search(r"\d+ translated message", stats), stats
    assert "untranslated" not in stats and "fuzzy" not in stats, f"{language}: {stats.strip()}"
