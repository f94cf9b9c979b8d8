"""Move every Wagtail document's file from MEDIA_ROOT to the private root, under a random directory.

Council post attachments and internal documents (and confidential agenda items' attachments) were
plain files below MEDIA_ROOT with guessable names, which the development server and any ordinary
``/media/`` alias hand to anyone. From now on the default storage keeps every ``documents/`` name
below PORTAL_PRIVATE_ROOT (portal/core/private_storage.py); this moves the files already stored.
Idempotent: a file already in the private root is left alone. Not reversible (the old names were
the problem)."""

from __future__ import annotations

import os
import shutil

from django.conf import settings
from django.db import migrations


def move_document_files(apps, schema_editor):
    from portal.core.private_storage import is_private_name, unguessable_name

    Document = apps.get_model("wagtaildocs", "Document")
    media_root = os.path.abspath(settings.MEDIA_ROOT)
    private_root = os.path.abspath(settings.PORTAL_PRIVATE_ROOT)
    for document in Document.objects.all().only("pk", "file"):
        name = str(document.file.name or "")
        old_path = os.path.join(media_root, name)
        if not name or not os.path.isfile(old_path):
            continue
        new_name = unguessable_name(name) if is_private_name(name) else unguessable_name(f"documents/{name}")
        new_path = os.path.join(private_root, new_name)
        os.makedirs(os.path.dirname(new_path), exist_ok=True)
        shutil.move(old_path, new_path)
        Document.objects.filter(pk=document.pk).update(file=new_name)


class Migration(migrations.Migration):

    dependencies = [
        ("councils", "0003_council_space"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(move_document_files, migrations.RunPython.noop)]
