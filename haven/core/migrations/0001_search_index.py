from django.db import migrations


def create_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE TABLE search_index ("
            " kind varchar(16) NOT NULL, object_id bigint NOT NULL, document tsvector NOT NULL,"
            " PRIMARY KEY (kind, object_id))"
        )
        schema_editor.execute(
            "CREATE INDEX search_index_document ON search_index USING gin (document)"
        )
    else:
        schema_editor.execute(
            "CREATE VIRTUAL TABLE search_index USING fts5("
            " kind UNINDEXED, object_id UNINDEXED, content, tokenize = 'porter unicode61')"
        )


def drop_search_index(apps, schema_editor):
    schema_editor.execute("DROP TABLE IF EXISTS search_index")


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [migrations.RunPython(create_search_index, drop_search_index)]
