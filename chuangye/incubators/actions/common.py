"""Shared pieces of the incubators actions: limits, the manager check and the audit helper."""

from typing import Any

from django.http import HttpRequest

from chuangye.core.audit import record_event
from chuangye.core.errors import DomainError
from chuangye.incubators.access import managed_carriers
from chuangye.incubators.models import Carrier

MAX_BOOKING_HOURS = 12
BOOKING_HORIZON_DAYS = 90
MAX_START_DELAY_DAYS = 90


def _require_manager(actor: Any, carrier: Carrier) -> None:
    if not managed_carriers(actor).filter(pk=carrier.pk).exists():
        raise DomainError("只有该载体的运营机构或所在地人社部门可以办理", code="forbidden", status=403)


def _audit(action: str, actor: Any, obj: Any, region: str, request: HttpRequest | None, **details: Any) -> None:
    record_event(
        f"incubators.{action}",
        actor=actor,
        object_type=obj._meta.model_name,
        object_id=obj.pk,
        region_code=region,
        details=details,
        request=request,
    )
