"""Blocks move to accounts: every app hides blocked members now, not only chat."""

from django.db import migrations


def copy_blocks(apps, schema_editor):
    Block = apps.get_model("chat", "Block")
    MemberBlock = apps.get_model("accounts", "MemberBlock")
    MemberBlock.objects.bulk_create(
        [
            MemberBlock(blocker_id=b.blocker_id, blocked_id=b.blocked_id, created_at=b.created_at)
            for b in Block.objects.all().iterator()
            if b.blocker_id != b.blocked_id
        ],
        ignore_conflicts=True,
    )


def copy_back(apps, schema_editor):
    Block = apps.get_model("chat", "Block")
    MemberBlock = apps.get_model("accounts", "MemberBlock")
    Block.objects.bulk_create(
        [
            Block(blocker_id=b.blocker_id, blocked_id=b.blocked_id, created_at=b.created_at)
            for b in MemberBlock.objects.all().iterator()
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("chat", "0005_moderator_participant"),
        ("accounts", "0004_trust_blocks_preferences_device_signals"),
    ]

    operations = [
        migrations.RunPython(copy_blocks, copy_back),
        migrations.RemoveConstraint(model_name="block", name="block_once"),
        migrations.DeleteModel(name="Block"),
    ]
