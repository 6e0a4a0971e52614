"""Terminations recorded before `is_accusation` existed: an accusation's (its copies' registry
rows name the accused body's division) stops recognising its people's keys inside the accused's
area. Which offices knew the reporter was not recorded then: none is assumed (the safe side)."""

from django.db import migrations

FORWARD = """
UPDATE exchange_terminatedmatter t
SET is_accusation = true, accused_division_code = r.accused_division_code
FROM exchange_petitionrecord r
WHERE r.matter_id = t.matter_id AND r.accused_division_code <> '' AND NOT t.is_accusation
"""


class Migration(migrations.Migration):
    dependencies = [("registry", "0006_terminated_accusations")]

    operations = [migrations.RunSQL(FORWARD, migrations.RunSQL.noop)]
