from django.db import migrations, models

import haven.core.public_ids


class Migration(migrations.Migration):
    dependencies = [("updates", "0004_backfill_update_public_id")]

    operations = [
        migrations.AlterField(
            model_name="update",
            name="public_id",
            field=models.CharField(
                default=haven.core.public_ids.new_public_id,
                editable=False,
                max_length=16,
                unique=True,
            ),
        ),
    ]
