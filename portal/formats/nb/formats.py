"""Norwegian (nb): "27. november 2026 17:29", short "27.11.2026".
Starts from Django's own nb formats (input formats, separators) and names every output format."""

from django.conf.locale.nb.formats import *  # noqa: F403 - the rest of Django's nb formats

DATE_FORMAT = "j. F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j. F Y H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j. F"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
FIRST_DAY_OF_WEEK = 1
