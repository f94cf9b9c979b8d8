"""The Wagtail document form (``WAGTAILDOCS_DOCUMENT_FORM_BASE``): every document upload in the
admin, single or multiple, is checked by content and size and gets a safe stored name."""

from __future__ import annotations

from wagtail.documents.forms import BaseDocumentForm

from .uploads import safe_filename, validate_upload


class SafeDocumentForm(BaseDocumentForm):
    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and "file" in self.changed_data:
            kind = validate_upload(upload)
            upload.name = safe_filename(upload.name, kind)
        return upload
