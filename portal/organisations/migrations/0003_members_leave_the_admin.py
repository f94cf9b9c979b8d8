"""Organisation members and leads work on the portal: their groups lose Wagtail admin access."""

from django.db import migrations


def remove_admin_access(apps, schema_editor):
    OrganisationGroups = apps.get_model("organisations", "OrganisationGroups")
    Permission = apps.get_model("auth", "Permission")
    access_admin = Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin")
    for groups in OrganisationGroups.objects.select_related("members", "leads"):
        groups.members.permissions.remove(*access_admin)
        groups.leads.permissions.remove(*access_admin)


class Migration(migrations.Migration):

    dependencies = [
        ("organisations", "0002_organisation_spaces"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(remove_admin_access, migrations.RunPython.noop)]
