"""English for a Norwegian agency: day before month, the 24-hour clock (never "11/27/2026 5:29 p.m.")."""

DATE_FORMAT = "j F Y"  # 27 November 2026
TIME_FORMAT = "H:i"  # 17:29
DATETIME_FORMAT = "j F Y, H:i"  # 27 November 2026, 17:29
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j M Y"  # 27 Nov 2026: unambiguous on both sides of the Atlantic
SHORT_DATETIME_FORMAT = "j M Y, H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%d %B %Y", "%d %b %Y"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d.%m.%Y %H:%M", "%d/%m/%Y %H:%M"]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
