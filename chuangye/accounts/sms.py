"""Sending text messages through a pluggable sender chosen by ``settings.SMS_BACKEND``.

No SMS gateway is reachable from here; a bureau's gateway is one more sender class. Messages never go into the
application log with their codes when the "file" sender is used in production, because that sender is for
development only.
"""

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from chuangye.core.pii import mask_phone

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Message:
    phone: str
    text: str
    sent_at: dt.datetime


# Messages kept by the "memory" sender (tests). A list in process memory is fine here: tests run in one process.
outbox: list[Message] = []


def send_sms(phone: str, text: str) -> None:
    message = Message(phone, text, timezone.now())
    backend = settings.SMS_BACKEND
    if backend == "memory":
        outbox.append(message)
    elif backend == "file":
        path = Path(settings.VAR_DIR) / "sms.log"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(f"{message.sent_at.isoformat()}\t{phone}\t{text}\n")
    elif backend == "console":
        print(f"[短信] {phone}: {text}")
    else:
        raise ValueError(f"unknown SMS_BACKEND {backend!r}")
    logger.info("sms sent to %s", mask_phone(phone))
