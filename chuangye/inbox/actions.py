"""Notifying people: an inbox message always, a text message when the person must act."""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from chuangye.accounts.sms import send_sms
from chuangye.inbox.models import Message


def notify(
    recipient: Any, title: str, body: str = "", *, link: str = "", sms: bool = False, dedupe_key: str = ""
) -> Message | None:
    """Put a message in the recipient's inbox; with ``sms``, also text them after commit. With a ``dedupe_key``,
    a second call with the same key does nothing (returns None), so jobs that run twice notify once."""
    if recipient is None:
        return None
    try:
        with transaction.atomic():
            message = Message.objects.create(
                recipient=recipient, title=title[:100], body=body, link=link, dedupe_key=dedupe_key
            )
    except IntegrityError:
        return None
    phone = getattr(recipient, "phone", "")
    if sms and phone:
        text = f"【创业服务平台】{title}。{body[:60]}请登录平台查看。"
        transaction.on_commit(lambda: send_sms(phone, text))
    return message


def message_mark_read(*, user: Any, message_id: int) -> None:
    Message.objects.filter(pk=message_id, recipient=user, read_at__isnull=True).update(read_at=timezone.now())
