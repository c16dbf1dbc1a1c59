"""Training pages: the public catalogue, notices, verification and results; the citizen's enrolment, check-in and
certificates; the institution's classes; the bureau's catalogue, claims, follow-up and competitions."""

import io
import secrets
from typing import Any

import segno
from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from chuangye.accounts.access import public, region_filter, roles, signed_in, throttle
from chuangye.accounts.models import STAFF_ROLES, Role
from chuangye.cases.actions import case_transition
from chuangye.core.errors import DomainError
from chuangye.core.models import Region
from chuangye.core.pii import mask_name
from chuangye.policies.facts import COURSES
from chuangye.training import actions
from chuangye.training.access import (
    access_certificate_by_id,
    access_claim_by_id,
    access_class_by_id,
    access_competition_by_id,
    access_session_by_id,
    certificates_for,
    claims_for,
    classes_for,
    competitions_for,
    institution_of,
    trainers_for,
)
from chuangye.training.certificate import public_summary, render_certificate
from chuangye.training.models import (
    Certificate,
    Claim,
    ClaimLine,
    Competition,
    Enrolment,
    Entrant,
    Institution,
    Trainer,
    TrainingClass,
)
from chuangye.training.selectors import course_catalogue, followup_rates, roster

STAFF = tuple(STAFF_ROLES)


def _refused(request: HttpRequest, template: str, context: dict[str, Any], error: DomainError) -> HttpResponse:
    context["error"] = error.message
    return render(request, template, context, status=error.status if error.status in (403, 404, 409) else 422)


# Public ---------------------------------------------------------------------------------------------------------


@public
def home(request: HttpRequest) -> HttpResponse:
    """Courses with this region's hours and subsidies, and the approved classes still open for enrolment."""
    user: Any = request.user
    person = getattr(user, "person", None) if user.is_authenticated else None
    region = request.GET.get("region", "").strip() or (person.region_code if person else "")
    if not (region.isdigit() and len(region) == 6):
        region = ""
    open_classes = (
        TrainingClass.objects.filter(case__state="approved", start_date__gt=timezone.localdate())
        .select_related("institution__organisation")
        .order_by("start_date")
    )
    if region:
        open_classes = open_classes.filter(region_code__startswith=region[:4])
    region_name = Region.objects.filter(code=region).values_list("name", flat=True).first() or ""
    return render(
        request,
        "training/home.html",
        {
            "catalogue": course_catalogue(region),
            "region": region,
            "region_name": region_name,
            "classes": open_classes[:100],
            "is_citizen": user.is_authenticated and user.role == Role.CITIZEN,
        },
    )


@public
def institutions(request: HttpRequest) -> HttpResponse:
    """The published list of training institutions (目录清单) with validity."""
    today = timezone.localdate()
    rows = Institution.objects.select_related("organisation").order_by("region_code", "organisation__name")
    return render(request, "training/institutions.html", {"rows": rows, "today": today, "courses": COURSES})


@public
@throttle("30/m", method="GET")
def verify(request: HttpRequest, code: str = "") -> HttpResponse:
    code = (code or request.GET.get("code", "")).strip().upper()
    context: dict[str, Any] = {"code": code}
    if code:
        found = (
            Certificate.objects.filter(verify_code=code)
            .select_related("person", "enrolment__training_class__institution__organisation")
            .first()
        )
        context["summary"] = public_summary(found) if found else None
        context["searched"] = True
    return render(request, "training/verify.html", context)


@public
def notices(request: HttpRequest) -> HttpResponse:
    """Claims under public notice (公示): trainees' names masked, course, institution, amount and the deadline."""
    claims = Claim.objects.filter(state=Claim.State.NOTICE).select_related(
        "institution__organisation", "training_class"
    )
    rows = []
    for claim in claims.order_by("notice_until", "id")[:50]:
        lines = [
            {"name": mask_name(line.person.name), "amount": line.amount}
            for line in claim.lines.filter(status=ClaimLine.Status.CLAIMED).select_related("person")
        ]
        rows.append({"claim": claim, "lines": lines})
    return render(request, "training/notices.html", {"rows": rows, "courses": COURSES})


@public
def trainer_profile(request: HttpRequest, training_trainer_id: int) -> HttpResponse:
    trainer = Trainer.objects.filter(pk=training_trainer_id).select_related("institution__organisation").first()
    if trainer is None:
        raise Http404("讲师不存在")
    awards = (
        Entrant.objects.filter(trainer=trainer, track__competition__state=Competition.State.PUBLISHED)
        .select_related("track__competition")
        .order_by("-track__competition__held_on")
    )
    return render(
        request,
        "training/trainer.html",
        {"trainer": trainer, "awards": awards, "courses": [COURSES.get(c, c) for c in trainer.courses]},
    )


@public
def competition_results(request: HttpRequest, training_competition_id: int) -> HttpResponse:
    competition = Competition.objects.filter(pk=training_competition_id, state=Competition.State.PUBLISHED).first()
    if competition is None:
        raise Http404("比赛结果尚未公布")
    tracks = [(t, t.entrants.select_related("trainer__institution__organisation")) for t in competition.tracks.all()]
    return render(request, "training/results.html", {"competition": competition, "tracks": tracks})


# Citizens -------------------------------------------------------------------------------------------------------


@roles(Role.CITIZEN)
def class_detail(request: HttpRequest, training_class_id: int) -> HttpResponse:
    klass = access_class_by_id(request.user, training_class_id)
    person = getattr(request.user, "person", None)
    context: dict[str, Any] = {
        "klass": klass,
        "sessions": klass.sessions.all(),
        "mine": klass.enrolments.filter(person=person).exclude(status=Enrolment.Status.CANCELLED).first()
        if person
        else None,
        "seats_taken": klass.enrolments.filter(status=Enrolment.Status.ENROLLED).count(),
    }
    if request.method == "POST":
        try:
            enrolment = actions.enrol(actor=request.user, klass=klass, request=request)
        except DomainError as error:
            return _refused(request, "training/class.html", context, error)
        if enrolment.status == Enrolment.Status.WAITING:
            messages.info(request, "该班已满员，您已列入候补名单，有空位时按报名先后递补")
        else:
            messages.success(request, "报名成功")
        return redirect("training:me")
    return render(request, "training/class.html", context)


@roles(Role.CITIZEN)
def me(request: HttpRequest) -> HttpResponse:
    person = getattr(request.user, "person", None)
    enrolments = (
        Enrolment.objects.filter(person=person).select_related("training_class__institution__organisation")
        if person
        else Enrolment.objects.none()
    )
    context: dict[str, Any] = {
        "enrolments": enrolments.order_by("-enrolled_at"),
        "certificates": certificates_for(request.user),
    }
    if request.method == "POST":
        try:
            enrolment = enrolments.filter(pk=int(request.POST.get("enrolment") or 0)).first()
            if enrolment is None:
                raise Http404("记录不存在或无权访问")
            actions.enrolment_cancel(actor=request.user, enrolment=enrolment, request=request)
        except DomainError as error:
            return _refused(request, "training/me.html", context, error)
        messages.success(request, "已取消报名")
        return redirect("training:me")
    return render(request, "training/me.html", context)


@signed_in
def certificate_pdf(request: HttpRequest, training_certificate_id: int) -> HttpResponse:
    certificate = access_certificate_by_id(request.user, training_certificate_id)
    response = HttpResponse(render_certificate(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.serial}.pdf"'
    return response


@roles(Role.CITIZEN)
@throttle("30/m")
def scan(request: HttpRequest) -> HttpResponse:
    """Where a session's QR code leads: the trainee confirms and is checked in."""
    token = (request.POST.get("t") or request.GET.get("t", "")).strip()
    context: dict[str, Any] = {"token": token}
    if token:
        try:
            context["session"] = actions.session_for_token(token)
        except DomainError as error:
            return _refused(request, "training/scan.html", context, error)
    if request.method == "POST":
        try:
            actions.attendance_check_in(
                actor=request.user, token=token, session_id=request.POST.get("session") or None, request=request
            )
        except DomainError as error:
            return _refused(request, "training/scan.html", context, error)
        messages.success(request, "签到成功")
        return redirect("training:me")
    return render(request, "training/scan.html", context)


# Institutions ---------------------------------------------------------------------------------------------------


@roles(Role.PARTNER)
def org_home(request: HttpRequest) -> HttpResponse:
    institution = institution_of(request.user)
    return render(
        request,
        "training/org_home.html",
        {
            "institution": institution,
            "classes": classes_for(request.user).select_related("case") if institution else [],
            "claims": claims_for(request.user) if institution else [],
            "today": timezone.localdate(),
        },
    )


CLASS_FIELDS = ("course", "title", "start_date", "end_date", "online", "venue", "capacity", "hours")


@roles(Role.PARTNER)
def class_new(request: HttpRequest) -> HttpResponse:
    institution = institution_of(request.user)
    context: dict[str, Any] = {
        "institution": institution,
        "courses": [(c, COURSES[c]) for c in (institution.courses if institution else [])],
        "trainers": institution.trainers.all() if institution else [],
        "data": {},
        "form_key": secrets.token_hex(8),
    }
    if request.method == "POST":
        data = {key: request.POST.get(key, "") for key in CLASS_FIELDS}
        context.update(data=data, sessions=request.POST.get("sessions", ""), chosen=request.POST.getlist("trainers"))
        try:
            klass = actions.class_apply(
                actor=request.user,
                data=data,
                trainer_ids=request.POST.getlist("trainers"),
                sessions_text=request.POST.get("sessions", ""),
                idempotency_key=request.POST.get("form_key", "")[:80],
                request=request,
            )
        except DomainError as error:
            context["form_key"] = request.POST.get("form_key", "")
            return _refused(request, "training/class_new.html", context, error)
        messages.success(request, f"开班申请已提交，办件编号 {klass.case.number}")
        return redirect("training:org_class", training_class_id=klass.pk)
    return render(request, "training/class_new.html", context)


def _org_class_context(klass: TrainingClass) -> dict[str, Any]:
    return {
        "klass": klass,
        "sessions": klass.sessions.all(),
        "roster": roster(klass),
        "certificates": Certificate.objects.filter(enrolment__training_class=klass).select_related("person"),
        "claims": klass.claims.all(),
        "today": timezone.localdate(),
    }


@roles(Role.PARTNER)
def org_class(request: HttpRequest, training_class_id: int) -> HttpResponse:
    klass = access_class_by_id(request.user, training_class_id)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "roster":
                done = actions.roster_upload(
                    actor=request.user, klass=klass, upload=request.FILES.get("roster"), request=request
                )
                messages.success(request, f"花名册已导入 {len(done)} 人")
            elif action == "assess":
                results = {
                    e.pk: request.POST.get(f"passed_{e.pk}") == "1"
                    for e in klass.enrolments.filter(status=Enrolment.Status.ENROLLED)
                    if request.POST.get(f"passed_{e.pk}") in ("0", "1")
                }
                actions.assessment_record(actor=request.user, klass=klass, results=results, request=request)
                messages.success(request, "考核结果已登记")
            elif action == "complete":
                issued = actions.class_complete(actor=request.user, klass=klass, request=request)
                messages.success(request, f"已结业，发放合格证书 {len(issued)} 本")
            elif action == "withdraw":
                case_transition(case=klass.case, action="withdraw", actor=request.user, request=request)
                messages.success(request, "开班申请已撤回")
            elif action == "claim":
                claim = actions.claim_submit(actor=request.user, klass=klass, request=request)
                messages.success(request, f"补贴已申报，申报编号 {claim.number}，金额 {claim.total} 元")
            else:
                raise DomainError("没有这个操作", code="unknown_action")
        except DomainError as error:
            return _refused(request, "training/org_class.html", _org_class_context(klass), error)
        return redirect("training:org_class", training_class_id=klass.pk)
    return render(request, "training/org_class.html", _org_class_context(klass))


def _qr_svg(url: str) -> str:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=5, xmldecl=False, svgns=True)
    return buffer.getvalue().decode("utf-8")


@roles(Role.PARTNER)
def org_session(request: HttpRequest, training_session_id: int) -> HttpResponse:
    """A session's attendance: the QR code trainees scan, and the staff entry form."""
    session = access_session_by_id(request.user, training_session_id)
    klass = session.training_class
    if request.method == "POST":
        try:
            if request.POST.get("action") == "renew":
                actions.qr_renew(actor=request.user, session=session, request=request)
                messages.success(request, "签到码已更新，此前的签到码作废")
            else:
                count = actions.attendance_enter(
                    actor=request.user, session=session, enrolment_ids=request.POST.getlist("present"), request=request
                )
                messages.success(request, f"已登记 {count} 人出勤")
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("training:org_session", training_session_id=session.pk)
        return redirect("training:org_session", training_session_id=session.pk)
    scan_url = request.build_absolute_uri("/training/scan/") + "?t=" + actions.qr_token(session)
    present = set(session.attendances.values_list("enrolment_id", flat=True))
    return render(
        request,
        "training/org_session.html",
        {
            "session": session,
            "klass": klass,
            "qr_svg": _qr_svg(scan_url),
            "scan_url": scan_url,
            "enrolments": klass.enrolments.filter(status=Enrolment.Status.ENROLLED).select_related("person"),
            "present": present,
        },
    )


# Bureau ---------------------------------------------------------------------------------------------------------


@roles(*STAFF)
def wb_home(request: HttpRequest) -> HttpResponse:
    classes = classes_for(request.user).select_related("institution__organisation", "case")
    return render(
        request,
        "training/wb_home.html",
        {
            "pending": classes.filter(case__state="submitted"),
            "classes": classes.exclude(case__state="submitted")[:100],
            "claims": claims_for(request.user).select_related("institution__organisation", "training_class")[:100],
        },
    )


@roles(*STAFF)
def wb_class(request: HttpRequest, training_class_id: int) -> HttpResponse:
    klass = access_class_by_id(request.user, training_class_id)
    return render(request, "training/wb_class.html", _org_class_context(klass))


@roles(*STAFF)
def wb_claim(request: HttpRequest, training_claim_id: int) -> HttpResponse:
    claim = access_claim_by_id(request.user, training_claim_id)
    context: dict[str, Any] = {
        "claim": claim,
        "lines": claim.lines.select_related("person").order_by("id"),
        "today": timezone.localdate(),
    }
    if request.method == "POST":
        action = request.POST.get("action", "")
        note = request.POST.get("note", "")
        try:
            if action == "notice":
                actions.claim_start_notice(actor=request.user, claim=claim, request=request)
                messages.success(request, "已发布公示")
            elif action == "approve":
                actions.claim_approve(actor=request.user, claim=claim, note=note, request=request)
                messages.success(request, "已核准拨付")
            elif action == "refuse":
                actions.claim_refuse(actor=request.user, claim=claim, note=note, request=request)
                messages.success(request, "已不予补贴")
            elif action == "reject_line":
                line = claim.lines.filter(pk=int(request.POST.get("line") or 0)).first()
                if line is None:
                    raise DomainError("记录不存在或无权访问", code="not_found", status=404)
                actions.claim_line_reject(actor=request.user, line=line, reason=note, request=request)
                messages.success(request, "已将该学员移出申报")
            else:
                raise DomainError("没有这个操作", code="unknown_action")
        except DomainError as error:
            return _refused(request, "training/wb_claim.html", context, error)
        return redirect("training:wb_claim", training_claim_id=claim.pk)
    return render(request, "training/wb_claim.html", context)


@roles(*STAFF)
def wb_catalogue(request: HttpRequest) -> HttpResponse:
    """The institution list and trainers of the officer's region, with the forms to list and register them."""
    user: Any = request.user
    listed = Institution.objects.filter(region_filter(user, "region_code") or Q(pk__in=[])).select_related(
        "organisation"
    )
    context: dict[str, Any] = {
        "institutions": listed,
        "trainers": trainers_for(user).select_related("institution__organisation"),
        "courses": list(COURSES.items()),
        "levels": Trainer.Level.choices,
        "catalogue": course_catalogue(user.region_code),
    }
    if request.method == "POST":
        try:
            if request.POST.get("action") == "trainer":
                institution = listed.filter(pk=int(request.POST.get("institution") or 0)).first()
                if institution is None:
                    raise DomainError("「所属机构」请选择本地区目录内的培训机构", code="invalid")
                actions.trainer_register(
                    actor=user,
                    institution=institution,
                    data={**request.POST.dict(), "courses": request.POST.getlist("courses")},
                    request=request,
                )
                messages.success(request, "讲师已登记")
            else:
                actions.institution_list(
                    actor=user,
                    data={**request.POST.dict(), "courses": request.POST.getlist("courses")},
                    request=request,
                )
                messages.success(request, "培训机构已列入目录")
        except DomainError as error:
            return _refused(request, "training/wb_catalogue.html", context, error)
        return redirect("training:wb_catalogue")
    return render(request, "training/wb_catalogue.html", context)


@roles(*STAFF)
def wb_followup(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    months = int(actions.param_value("training.followup_months", user.region_code, timezone.localdate()) or 6)
    rates = followup_rates(certificates_for(user), months)
    names = dict(Region.objects.filter(code__in=[r.key for r in rates["region"]]).values_list("code", "name"))
    for row in rates["region"]:
        row.label = names.get(row.key, row.key)
    return render(request, "training/wb_followup.html", {"rates": rates, "months": months})


@roles(*STAFF, Role.MENTOR)
def wb_competitions(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {"competitions": competitions_for(request.user)}
    if request.method == "POST":
        try:
            competition = actions.competition_create(actor=request.user, data=request.POST.dict(), request=request)
        except DomainError as error:
            return _refused(request, "training/wb_competitions.html", context, error)
        return redirect("training:wb_competition", training_competition_id=competition.pk)
    return render(request, "training/wb_competitions.html", context)


@roles(*STAFF, Role.MENTOR)
def wb_competition(request: HttpRequest, training_competition_id: int) -> HttpResponse:
    competition = access_competition_by_id(request.user, training_competition_id)
    user: Any = request.user
    entrants = Entrant.objects.filter(track__competition=competition).select_related("trainer", "track")
    mine = set(competition.judges.filter(pk=user.pk).values_list("pk", flat=True))
    scored = set(entrants.filter(scores__judge=user).values_list("pk", flat=True))
    context: dict[str, Any] = {
        "competition": competition,
        "tracks": competition.tracks.all(),
        "entrants": entrants.order_by("track", "rank", "id"),
        "judges": competition.judges.all(),
        "is_judge": bool(mine),
        "scored": scored,
    }
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "judge":
                actions.competition_add_judge(
                    actor=user, competition=competition, username=request.POST.get("username", ""), request=request
                )
            elif action == "entrant":
                actions.competition_add_entrant(
                    actor=user,
                    competition=competition,
                    track_id=request.POST.get("track", ""),
                    certificate_number=request.POST.get("certificate_number", ""),
                    request=request,
                )
            elif action == "score":
                entrant = entrants.filter(pk=int(request.POST.get("entrant") or 0)).first()
                if entrant is None:
                    raise DomainError("「选手」请选择本比赛的选手", code="invalid")
                actions.score_submit(actor=user, entrant=entrant, items=request.POST.getlist("score"), request=request)
            elif action == "publish":
                actions.competition_publish(actor=user, competition=competition, request=request)
            else:
                raise DomainError("没有这个操作", code="unknown_action")
        except DomainError as error:
            return _refused(request, "training/wb_competition.html", context, error)
        messages.success(request, "已保存")
        return redirect("training:wb_competition", training_competition_id=competition.pk)
    return render(request, "training/wb_competition.html", context)
