from django.db import migrations

from haven.core.public_ids import new_public_id


def backfill(apps, schema_editor):
    Update = apps.get_model("updates", "Update")
    for update in Update.objects.filter(public_id__isnull=True).only("pk").iterator():
        Update.objects.filter(pk=update.pk).update(public_id=new_public_id())


class Migration(migrations.Migration):
    dependencies = [("updates", "0003_follow_status_follower_setting_update_public_id")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
