"""Copy the stewards' notices into the platform's one inbox (`lights.Notification`) before the stewards'
table is dropped (0004). Reversible: the way back copies the stewards' kinds back and removes them from
the inbox (0004 reversed recreates the table first).

Links are written as the paths of the day (a migration must not depend on the URL conf changing later):
a project's workspace, its liaison group for an @mention, its plan for a late milestone, the feedback desk
for an overdue follow-up.
"""
from django.db import migrations

KINDS = ("assigned", "mention", "milestone_late", "follow_up_overdue")
BATCH = 2000


def _link(kind: str, project_id: int | None) -> str:
    if kind == "follow_up_overdue":
        return "/feedback/"
    if project_id is None:
        return ""
    anchor = {"mention": "#group", "milestone_late": "#plan"}.get(kind, "")
    return f"/stewards/projects/{project_id}/{anchor}"


def forward(apps, schema_editor):
    Old = apps.get_model("stewards", "Notification")
    New = apps.get_model("lights", "Notification")
    rows = []
    for n in Old.objects.order_by("pk").iterator(chunk_size=BATCH):
        rows.append(New(recipient_id=n.recipient_id, kind=n.kind, title=n.text, link=_link(n.kind, n.project_id),
                        project_id=n.project_id, source_type="stewards.Message" if n.message_id else "",
                        source_id=n.message_id, created_at=n.created_at, read_at=n.read_at))
        if len(rows) >= BATCH:
            New.objects.bulk_create(rows)
            rows = []
    New.objects.bulk_create(rows)


def backward(apps, schema_editor):
    Old = apps.get_model("stewards", "Notification")
    New = apps.get_model("lights", "Notification")
    moved = New.objects.filter(kind__in=KINDS)
    rows = [Old(recipient_id=n.recipient_id, kind=n.kind, text=n.title, project_id=n.project_id,
                message_id=n.source_id if n.source_type == "stewards.Message" else None,
                created_at=n.created_at, read_at=n.read_at) for n in moved.order_by("pk").iterator(chunk_size=BATCH)]
    Old.objects.bulk_create(rows, batch_size=BATCH)
    moved.delete()


class Migration(migrations.Migration):

    dependencies = [
        ("stewards", "0002_milestone_late_notified_for"),
        ("lights", "0003_inbox_for_every_app"),
    ]

    operations = [migrations.RunPython(forward, backward)]
