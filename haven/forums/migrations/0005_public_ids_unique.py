from django.db import migrations, models

import haven.core.public_ids


class Migration(migrations.Migration):
    dependencies = [("forums", "0004_backfill_public_ids")]

    operations = [
        migrations.AlterField(
            model_name=name,
            name="public_id",
            field=models.CharField(
                default=haven.core.public_ids.new_public_id,
                editable=False,
                max_length=16,
                unique=True,
            ),
        )
        for name in ("thread", "post")
    ]
