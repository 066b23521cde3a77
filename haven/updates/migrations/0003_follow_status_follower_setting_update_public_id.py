import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("updates", "0002_update_moderation_state_update_removal_reason_and_more"),
    ]

    operations = [
        # Follows made before approval existed stay as they were: accepted.
        migrations.AddField(
            model_name="follow",
            name="status",
            field=models.CharField(
                choices=[("pending", "Waiting for approval"), ("accepted", "Approved")],
                default="accepted",
                max_length=10,
            ),
        ),
        migrations.AlterField(
            model_name="follow",
            name="status",
            field=models.CharField(
                choices=[("pending", "Waiting for approval"), ("accepted", "Approved")],
                default="pending",
                max_length=10,
            ),
        ),
        migrations.CreateModel(
            name="FollowerSetting",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("approve_new_followers", models.BooleanField(default=True)),
                (
                    "member",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="follower_setting",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
        ),
        migrations.AlterField(
            model_name="update",
            name="visibility",
            field=models.CharField(
                choices=[
                    ("public", "Everyone on Haven"),
                    ("followers", "Only my followers (people I approved to follow me)"),
                    ("private", "Only me"),
                ],
                default="public",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="update",
            name="public_id",
            field=models.CharField(editable=False, max_length=16, null=True),
        ),
    ]
