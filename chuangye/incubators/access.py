"""Who sees which carrier, application, contract and booking. Every scoped fetch starts here; out of scope is 404.

- The public directory shows every active carrier; managing one is for the bureau staff of its region (prefix rule)
  and for the staff of its operator (a partner organisation of kind ``incubator``).
- Applications and contracts: the founder's own; the carrier's region's staff; the carrier's operator.
- Bookings: the booker's own; the equipment's carrier's region staff and operator.
"""

from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet
from django.http import Http404

from chuangye.accounts.access import region_filter
from chuangye.accounts.models import Organisation, Role
from chuangye.cases.models import Case
from chuangye.incubators.models import BoardPost, Booking, Carrier, Contract, Equipment, SpaceApplication

M = TypeVar("M", bound=Model)
OPERATOR = "incubator_operator"  # the engine role the operator's staff hold on applications to their carriers
CASE_TYPE = "incubators.space"


def operator_org_id(user: Any) -> int | None:
    """The organisation a signed-in partner operates carriers for, or None."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "role", None) != Role.PARTNER:
        return None
    org = getattr(user, "organisation", None)
    if org is None or org.kind != Organisation.Kind.INCUBATOR or not org.is_active:
        return None
    return int(org.pk)


def _scoped(model: type[M], user: Any, *, region: str, operator: str, citizen: str = "") -> QuerySet[M]:
    manager = model._default_manager
    if not getattr(user, "is_authenticated", False):
        return manager.none()
    if user.role == Role.CITIZEN:
        return manager.filter(**{citizen: user}) if citizen else manager.none()
    staff = region_filter(user, region)
    if staff is not None:
        return manager.filter(staff)
    org_id = operator_org_id(user)
    if org_id is not None:
        return manager.filter(**{operator: org_id})
    return manager.none()


def public_carriers() -> QuerySet[Carrier]:
    return Carrier.objects.filter(is_active=True)


def access_public_carrier(carrier_id: object) -> Carrier:
    return _get(public_carriers(), carrier_id)


def managed_carriers(user: Any) -> QuerySet[Carrier]:
    return _scoped(Carrier, user, region="region_code", operator="operator_id")


def access_managed_carrier(user: Any, carrier_id: object) -> Carrier:
    return _get(managed_carriers(user), carrier_id)


def applications_for(user: Any) -> QuerySet[SpaceApplication]:
    return _scoped(
        SpaceApplication,
        user,
        region="carrier__region_code",
        operator="carrier__operator_id",
        citizen="case__applicant_user",
    )


def access_application(user: Any, application_id: object) -> SpaceApplication:
    return _get(applications_for(user).select_related("case", "carrier", "person", "space"), application_id)


def contracts_for(user: Any) -> QuerySet[Contract]:
    return _scoped(
        Contract, user, region="carrier__region_code", operator="carrier__operator_id", citizen="tenant_user"
    )


def access_contract(user: Any, contract_id: object) -> Contract:
    return _get(contracts_for(user).select_related("carrier", "space", "person", "application__case"), contract_id)


def bookable_equipment() -> QuerySet[Equipment]:
    return Equipment.objects.filter(is_active=True, bookable=True, carrier__is_active=True)


def access_bookable_equipment(equipment_id: object) -> Equipment:
    return _get(bookable_equipment().select_related("carrier"), equipment_id)


def bookings_for(user: Any) -> QuerySet[Booking]:
    if not getattr(user, "is_authenticated", False):
        return Booking.objects.none()
    own = Q(booked_by=user)
    staff = region_filter(user, "equipment__carrier__region_code")
    if staff is not None:
        return Booking.objects.filter(own | staff)
    org_id = operator_org_id(user)
    if org_id is not None:
        return Booking.objects.filter(own | Q(equipment__carrier__operator_id=org_id))
    return Booking.objects.filter(own)


def access_booking(user: Any, booking_id: object) -> Booking:
    return _get(bookings_for(user).select_related("equipment__carrier"), booking_id)


def posts_managed_by(user: Any) -> QuerySet[BoardPost]:
    """Posts a user may close: their own, and (staff) those in their region."""
    if not getattr(user, "is_authenticated", False):
        return BoardPost.objects.none()
    staff = region_filter(user, "region_code")
    return (
        BoardPost.objects.filter(Q(posted_by=user) | staff)
        if staff is not None
        else BoardPost.objects.filter(posted_by=user)
    )


def _get(queryset: QuerySet[M], pk: object) -> M:
    try:
        return queryset.get(pk=int(str(pk)))
    except (queryset.model.DoesNotExist, ValueError):  # type: ignore[attr-defined]
        raise Http404("记录不存在或无权访问") from None


# Case-engine hooks ---------------------------------------------------------------------------------------------


def partner_case_filter(user: Any) -> Q | None:
    """For ``cases.access.PARTNER_FILTERS``: an operator's staff see applications to their own carriers."""
    org_id = operator_org_id(user)
    if org_id is None:
        return None
    return Q(case_type=CASE_TYPE, incubator_application__carrier__operator_id=org_id)


def operator_roles(case: Case, actor: Any) -> set[str]:
    """For ``cases.access.ROLE_PROVIDERS``: the operator role on applications to the actor's own carriers."""
    if case.case_type != CASE_TYPE:
        return set()
    org_id = operator_org_id(actor)
    if org_id is None:
        return set()
    owned = SpaceApplication.objects.filter(case_id=case.pk, carrier__operator_id=org_id).exists()
    return {OPERATOR} if owned else set()
