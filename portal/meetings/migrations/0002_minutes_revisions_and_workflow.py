
import django.db.models.deletion
import modelcluster.fields
from django.db import migrations, models


def carry_over_status(apps, schema_editor):
    """The old stored status becomes Wagtail's draft state: published minutes are live (dated by
    their old publication date), circulated ones stay circulated. Minutes that were waiting for the
    chair go back to circulated/draft: the secretary sends them to the chair again, which now starts
    the workflow. Old MinutesRevision snapshots are not carried over (there is no production data);
    the first save after this migration creates the first Wagtail revision."""
    Minutes = apps.get_model("meetings", "Minutes")
    for minutes in Minutes.objects.all():
        minutes.live = minutes.status == "published"
        minutes.has_unpublished_changes = not minutes.live
        minutes.first_published_at = minutes.last_published_at = minutes.published_at if minutes.live else None
        minutes.circulated = minutes.status == "circulated"
        minutes.save()


class Migration(migrations.Migration):

    dependencies = [
        ('meetings', '0001_initial'),
        ('wagtailcore', '0098_apitoken'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='minutesentry',
            options={'verbose_name': 'minutes entry', 'verbose_name_plural': 'minutes entries'},
        ),
        migrations.AddField(
            model_name='minutes',
            name='circulated',
            field=models.BooleanField(default=False, verbose_name='circulated for comments'),
        ),
        migrations.AddField(
            model_name='minutes',
            name='expire_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='expiry date/time'),
        ),
        migrations.AddField(
            model_name='minutes',
            name='expired',
            field=models.BooleanField(default=False, editable=False, verbose_name='expired'),
        ),
        migrations.AddField(
            model_name='minutes',
            name='first_published_at',
            field=models.DateTimeField(blank=True, db_index=True, null=True, verbose_name='first published at'),
        ),
        migrations.AddField(
            model_name='minutes',
            name='go_live_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='go live date/time'),
        ),
        migrations.AddField(
            model_name='minutes',
            name='has_unpublished_changes',
            field=models.BooleanField(default=False, editable=False, verbose_name='has unpublished changes'),
        ),
        migrations.AddField(
            model_name='minutes',
            name='last_published_at',
            field=models.DateTimeField(editable=False, null=True, verbose_name='last published at'),
        ),
        migrations.AddField(
            model_name='minutes',
            name='latest_revision',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtailcore.revision', verbose_name='latest revision'),
        ),
        migrations.AddField(
            model_name='minutes',
            name='live',
            field=models.BooleanField(default=True, editable=False, verbose_name='live'),
        ),
        migrations.AddField(
            model_name='minutes',
            name='live_revision',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtailcore.revision', verbose_name='live revision'),
        ),
        migrations.AlterField(
            model_name='minutesentry',
            name='minutes',
            field=modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name='entries', to='meetings.minutes'),
        ),
        migrations.RunPython(carry_over_status, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='minutes',
            name='approved_at',
        ),
        migrations.RemoveField(
            model_name='minutes',
            name='approved_by',
        ),
        migrations.RemoveField(
            model_name='minutes',
            name='published_at',
        ),
        migrations.RemoveField(
            model_name='minutes',
            name='status',
        ),
        migrations.RemoveField(
            model_name='minutes',
            name='updated_at',
        ),
        migrations.RemoveField(
            model_name='minutes',
            name='version',
        ),
        migrations.DeleteModel(
            name='MinutesRevision',
        ),
    ]
