import django.contrib.postgres.fields
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tenants", "0002_schema_state"),
    ]

    operations = [
        migrations.CreateModel(
            name="TemplateSnapshot",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("state", models.CharField(max_length=64, unique=True)),
                ("ddl", models.TextField()),
                (
                    "seeded_tables",
                    django.contrib.postgres.fields.ArrayField(
                        base_field=models.CharField(max_length=63), default=list, size=None
                    ),
                ),
                (
                    "identity_tables",
                    django.contrib.postgres.fields.ArrayField(
                        base_field=models.CharField(max_length=63), default=list, size=None
                    ),
                ),
                ("taken_at", models.DateTimeField(auto_now_add=True)),
            ],
        ),
    ]
