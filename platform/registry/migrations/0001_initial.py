# The registry's two tables were created by the exchange app (exchange_petitionrecord,
# exchange_terminatedmatter) and keep their names and rows: this migration only moves them into the
# registry app's state (exchange 0004 removes them from exchange's state first).

import django.contrib.postgres.fields
import django.contrib.postgres.indexes
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('tenants', '0001_initial'),
        ('exchange', '0004_registry_moves_out'),
    ]

    state_operations = [
        migrations.CreateModel(
            name='TerminatedMatter',
            fields=[
                ('matter_id', models.UUIDField(primary_key=True, serialize=False)),
                ('province_code', models.CharField(max_length=6)),
                ('category', models.CharField(max_length=8)),
                ('person_keys', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(max_length=64), default=list, size=None)),
                ('recheck_handoff_id', models.UUIDField(db_column='recheck_id', unique=True)),
                ('terminated_at', models.DateTimeField()),
            ],
            options={
                'db_table': 'exchange_terminatedmatter',
                'indexes': [django.contrib.postgres.indexes.GinIndex(fields=['person_keys'], name='terminated_person_keys_gin')],
            },
        ),
        migrations.CreateModel(
            name='PetitionRecord',
            fields=[
                ('petition_id', models.UUIDField(primary_key=True, serialize=False)),
                ('matter_id', models.UUIDField(db_index=True)),
                ('office_level', models.CharField(max_length=8)),
                ('lineage_codes', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(max_length=6), size=None)),
                ('reference', models.CharField(max_length=24)),
                ('channel', models.CharField(max_length=8)),
                ('category', models.CharField(max_length=8)),
                ('status', models.CharField(max_length=16)),
                ('registered_at', models.DateTimeField()),
                ('next_due', models.DateField(null=True)),
                ('accept_due', models.DateField(null=True)),
                ('handling_due', models.DateField(null=True)),
                ('accepted_at', models.DateTimeField(null=True)),
                ('replied_at', models.DateTimeField(null=True)),
                ('closed_at', models.DateTimeField(null=True)),
                ('satisfaction', models.CharField(blank=True, max_length=20)),
                ('extended', models.BooleanField(default=False)),
                ('is_repeat', models.BooleanField(default=False)),
                ('is_skip_level', models.BooleanField(default=False)),
                ('is_collective', models.BooleanField(default=False)),
                ('is_cross_level', models.BooleanField(default=False)),
                ('source_office_code', models.CharField(blank=True, max_length=6)),
                ('about_office_code', models.CharField(blank=True, max_length=6)),
                ('viewer_codes', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(max_length=6), default=list, size=None)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('office', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='tenants.office')),
            ],
            options={
                'db_table': 'exchange_petitionrecord',
                'indexes': [django.contrib.postgres.indexes.GinIndex(fields=['lineage_codes'], name='record_lineage_gin'), django.contrib.postgres.indexes.GinIndex(fields=['viewer_codes'], name='record_viewers_gin'), models.Index(fields=['office', '-registered_at'], name='record_office_idx'), models.Index(fields=['next_due'], name='record_next_due_idx'), models.Index(condition=models.Q(('status__in', ('registered', 'routed', 'accepted', 'in_handling', 'assigned_out'))), fields=['office', 'next_due'], name='record_open_due_idx'), models.Index(condition=models.Q(('is_cross_level', True)), fields=['office', '-registered_at'], include=('is_skip_level',), name='record_cross_level_idx'), models.Index(condition=models.Q(('is_cross_level', True)), fields=['-registered_at'], name='record_cross_level_recent_idx'), models.Index(condition=models.Q(('about_office_code', ''), _negated=True), fields=['about_office_code'], name='record_about_office_idx')],
            },
        ),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]
