from django.db import migrations

from haven.core.public_ids import new_public_id


def backfill(apps, schema_editor):
    for name in ("Thread", "Post"):
        model = apps.get_model("forums", name)
        for row in model.objects.filter(public_id__isnull=True).only("pk").iterator():
            model.objects.filter(pk=row.pk).update(public_id=new_public_id())


class Migration(migrations.Migration):
    dependencies = [("forums", "0003_thread_public_id_post_public_id")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
