"""An attachment's stored file may belong to several copies of one matter (a copy handed to
another office gets rows of its own pointing at the same files): unique per petition."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("publicsite", "0001_initial")]

    operations = [
        migrations.AlterField(
            model_name="attachment",
            name="storage_name",
            field=models.CharField(max_length=200),
        ),
        migrations.AddConstraint(
            model_name="attachment",
            constraint=models.UniqueConstraint(
                fields=("petition", "storage_name"), name="attachment_file_once"
            ),
        ),
    ]
