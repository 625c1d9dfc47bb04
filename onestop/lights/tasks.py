"""E-mail of inbox notifications, sent by the task queue (django-tasks) after the sweep commits, so a slow
or failing mail server never holds the sweep or its transaction."""
from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django_tasks import task

from .models import Notification


def send_notification_mails(ids: list[int]) -> int:
    """One e-mail per notification whose recipient has an address, through Django's mail settings."""
    notes = Notification.objects.filter(pk__in=ids).select_related("recipient").order_by("id")
    mails = [EmailMessage(n.title, f"{n.body}\n\n{n.link}", settings.DEFAULT_FROM_EMAIL, [n.recipient.email])
             for n in notes if n.recipient.email]
    if mails:
        get_connection(fail_silently=True).send_messages(mails)
    return len(mails)


@task()
def mail_notifications(ids: list[int]) -> int:
    return send_notification_mails(ids)
