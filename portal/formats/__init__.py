"""Date and time formats per language (FORMAT_MODULE_PATH). Templates, e-mails, feeds and PDFs use
the named formats (``DATE_FORMAT``, ``DATETIME_FORMAT``, ``SHORT_DATE_FORMAT``, ...), so each
language reads its own way: English as "27 November 2026, 17:29", not Django's American default."""
