from django.db import migrations


def create_newest_index(apps, schema_editor):
    # PostgreSQL ranks the newest matches only (haven.core.fulltext): for a common word, walking
    # this index backwards finds them without visiting every match. FTS5 has no such index.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS search_index_newest ON search_index (object_id)"
        )


def drop_newest_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_index_newest")


class Migration(migrations.Migration):
    dependencies = [("core", "0001_search_index")]
    operations = [migrations.RunPython(create_newest_index, drop_newest_index)]
