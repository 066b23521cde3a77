"""Themes for updates written before Update.themes existed (haven.core.themes).

The detector is imported as it is now, not frozen: this runs once, on rows with no themes yet,
and a later vocabulary may legitimately find more."""

from django.db import migrations

from haven.core.themes import detect_themes

BATCH = 500


def backfill(apps, schema_editor) -> None:
    Update = apps.get_model("updates", "Update")
    last_pk = 0
    while True:
        batch = list(Update.objects.filter(pk__gt=last_pk).order_by("pk")[:BATCH])
        if not batch:
            return
        last_pk = batch[-1].pk
        stale = []
        for update in batch:
            themes = detect_themes(update.body)
            if themes and themes != update.themes:
                update.themes = themes
                stale.append(update)
        Update.objects.bulk_update(stale, ["themes"])


class Migration(migrations.Migration):
    dependencies = [("updates", "0007_update_themes")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
