"""State changes on people."""

from typing import Any

from django.http import HttpRequest

from chuangye.core.audit import record_event
from chuangye.core.errors import FieldValueError
from chuangye.registry.models import Person

REVEALABLE = {"id_number": "身份证号", "phone": "手机号"}


def person_reveal_field(*, actor: Any, person: Person, field: str, reason: str, request: HttpRequest | None) -> str:
    """Show one personal field of one person in full, for a stated reason; the reveal is audited.

    The caller must already have fetched ``person`` through ``registry.access`` with ``actor``.
    """
    if field not in REVEALABLE:
        raise FieldValueError("field", "字段", "不可查看")
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise FieldValueError("reason", "查看原因", "请写明查看原因（至少4个字）")
    record_event(
        "person.reveal",
        actor=actor,
        object_type="person",
        object_id=person.pk,
        region_code=person.region_code,
        details={"field": field, "reason": reason[:200]},
        request=request,
    )
    return str(getattr(person, field))
