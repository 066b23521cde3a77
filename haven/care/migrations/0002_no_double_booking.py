"""On PostgreSQL: no two booked appointments of one therapist may overlap, whatever races the
application loses. SQLite has no exclusion constraints; booking serialises writers there."""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE care_appointment ADD CONSTRAINT care_no_double_booking
    EXCLUDE USING gist (therapist_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
    WHERE (status = 'booked');
"""
DROP = "ALTER TABLE care_appointment DROP CONSTRAINT IF EXISTS care_no_double_booking;"


class PostgreSQLOnly(migrations.RunSQL):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("care", "0001_initial")]
    operations = [PostgreSQLOnly(CREATE, DROP)]
