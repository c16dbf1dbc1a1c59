"""Registration pages: the citizen's application forms, the licence download and the public verification page."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from chuangye.accounts.access import public, roles, signed_in, throttle
from chuangye.accounts.models import Role
from chuangye.cases.access import access_case_by_id
from chuangye.core.errors import DomainError
from chuangye.registration import actions
from chuangye.registration.decisions import CHANGEABLE
from chuangye.registration.licence import public_summary, render_licence
from chuangye.registration.models import Application
from chuangye.registry.access import access_business_by_id
from chuangye.registry.models import Industry

FIELDS = ("kind", "name", "address", "region_code", "business_scope", "industry", "capital")


def _founders_from(request: HttpRequest, person: Any) -> list[dict[str, Any]]:
    """The applicant first (their own record, never echoed into the page), then the others they listed."""
    names = request.POST.getlist("founder_name")
    ids = request.POST.getlist("founder_id_number")
    shares = request.POST.getlist("founder_share")
    rows: list[dict[str, Any]] = [
        {"name": n, "id_number": i, "share_percent": s or None} for n, i, s in zip(names, ids, shares, strict=False)
    ]
    me = {"name": person.name, "id_number": person.id_number, "share_percent": request.POST.get("self_share") or None}
    return [me, *[row for row in rows if row["name"] or row["id_number"]]]


@roles(Role.CITIZEN)
def establish_new(request: HttpRequest) -> HttpResponse:
    person: Any = getattr(request.user, "person", None)
    context: dict[str, Any] = {
        "kinds": Application.Kind.choices,
        "industries": Industry.choices,
        "person": person,
        "data": {"region_code": person.region_code if person else ""},
    }
    if request.method == "POST":
        data = {key: request.POST.get(key, "") for key in FIELDS}
        context["data"] = data
        try:
            case = actions.registration_establish_submit(
                applicant=request.user,
                data=data,
                founders=_founders_from(request, person) if person else [],
                accepting_region=request.POST.get("accepting_region", ""),
                materials=request.FILES.getlist("materials"),
                idempotency_key=request.POST.get("form_key", "")[:80],
                request=request,
            )
        except DomainError as error:
            context["error"] = error.message
            return render(request, "registration/establish.html", context, status=422)
        return redirect("cases_me:detail", case_id=case.pk)
    import secrets

    context["form_key"] = secrets.token_hex(8)  # one submission per form shown, whatever the double clicks
    return render(request, "registration/establish.html", context)


@roles(Role.CITIZEN)
def business_change(request: HttpRequest, business_id: int) -> HttpResponse:
    business = access_business_by_id(request.user, business_id)
    context: dict[str, Any] = {"business": business, "fields": CHANGEABLE}
    if request.method == "POST":
        try:
            if request.POST.get("kind") == "deregister":
                case = actions.registration_deregister_submit(
                    applicant=request.user, business=business, request=request
                )
            else:
                case = actions.registration_change_submit(
                    applicant=request.user,
                    business=business,
                    changes={k: request.POST.get(k, "") for k in CHANGEABLE},
                    resolution_date=request.POST.get("resolution_date"),
                    request=request,
                )
        except DomainError as error:
            context["error"] = error.message
            return render(request, "registration/change.html", context, status=422)
        return redirect("cases_me:detail", case_id=case.pk)
    return render(request, "registration/change.html", context)


@signed_in
def licence_pdf(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case_by_id(request.user, case_id)
    application = Application.objects.filter(case=case, licence_code__gt="").select_related("business").first()
    if application is None or application.business is None:
        raise Http404("营业执照不存在")
    response = HttpResponse(render_licence(application), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="licence-{application.business.credit_code}.pdf"'
    return response


@public
@throttle("30/m", method="GET")
def verify(request: HttpRequest, code: str = "") -> HttpResponse:
    code = (code or request.GET.get("code", "")).strip().upper()
    context: dict[str, Any] = {"code": code}
    if code:
        application = Application.objects.filter(licence_code=code).select_related("business__legal_representative")
        found = application.first()
        context["summary"] = public_summary(found) if found and found.business else None
        context["searched"] = True
    return render(request, "registration/verify.html", context)
