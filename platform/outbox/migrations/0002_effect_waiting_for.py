"""Effects that wait for a condition outside the database (services.park / release)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("outbox", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="effect",
            name="waiting_for",
            field=models.CharField(blank=True, max_length=40),
        ),
        migrations.AddIndex(
            model_name="effect",
            index=models.Index(
                condition=models.Q(("done_at__isnull", True), models.Q(("waiting_for", ""), _negated=True)),
                fields=["kind", "waiting_for", "created_at"],
                name="effect_waiting_idx",
            ),
        ),
    ]
