# The registry rows and terminated matters move to the registry app (platform/registry/), which
# depends on no other domain app: their tables stay where they are, with their rows. The terminated
# matter now names its re-review handoff by id, without a foreign key (the registry refers to
# nothing above it); the column and its unique constraint stay.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('exchange', '0003_cross_level_indexes'),
    ]

    operations = [
        migrations.AlterField(
            model_name='terminatedmatter',
            name='recheck',
            field=models.UUIDField(db_column='recheck_id', unique=True),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='TerminatedMatter'),
                migrations.DeleteModel(name='PetitionRecord'),
            ],
        ),
    ]
