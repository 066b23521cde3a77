from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("forums", "0002_post_moderation_state_post_removal_reason_and_more")]

    operations = [
        migrations.AddField(
            model_name="thread",
            name="public_id",
            field=models.CharField(editable=False, max_length=16, null=True),
        ),
        migrations.AddField(
            model_name="post",
            name="public_id",
            field=models.CharField(editable=False, max_length=16, null=True),
        ),
    ]
