"""Everything the platform holds about one citizen, for them to download (PIPL arts. 44–45: the right to know, to
copy and to take one's data elsewhere).

Only the signed-in citizen's own record is ever read: every query starts from ``Person.user == user``. Values are
unmasked because they are the citizen's own; the log of who looked at or changed the record is included, so the
citizen can see who revealed their data and why.
"""

from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from chuangye.accounts.models import Role, User
from chuangye.core.audit import record_event
from chuangye.core.models import Attachment, AuditEvent
from chuangye.registry.models import Business, ChangeRequest, Founder, KeyGroupStatus, Person

ACTIONS = {
    "person.create": "登记人员信息",
    "person.reveal": "查看完整证件号或手机号",
    "person.self_update": "本人修改信息",
    "person.change_request": "申请变更信息",
    "person.change_approve": "同意信息变更",
    "person.change_reject": "不同意信息变更",
    "person.data_export": "本人下载个人数据",
    "key_group.declare": "申报重点群体身份",
    "key_group.certify": "认定重点群体身份",
    "key_group.reject": "不予认定重点群体身份",
    "key_group.revoke": "撤销重点群体身份",
}
FIELDS = {"id_number": "身份证号", "phone": "手机号"}


def _day(value: Any) -> str | None:
    return value.isoformat() if value else None


def _moment(value: Any) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _name_of(user: User | None) -> str:
    return user.display_name if user is not None else ""


def my_data(user: Any) -> dict[str, Any]:
    """The citizen's account, registry record, key groups with their history, change requests, businesses,
    attachments and the audit trail of their record, as JSON-ready values."""
    person = Person.objects.filter(user=user).first() if user.role == Role.CITIZEN else None
    data: dict[str, Any] = {
        "说明": "本文件包含创业服务平台保存的您的全部个人信息（依据《个人信息保护法》第四十四、四十五条提供）。",
        "导出时间": _moment(timezone.now()),
        "账户": {
            "用户名": user.username,
            "姓名": user.real_name,
            "手机号": user.phone,
            "注册时间": _moment(user.date_joined),
            "最近登录": _moment(user.last_login),
        },
        "人员信息": None,
    }
    if person is None:
        return data
    statuses = list(
        KeyGroupStatus.objects.filter(person=person)
        .select_related("category", "declared_by", "decided_by")
        .prefetch_related("events__actor")
        .order_by("declared_at", "pk")
    )
    changes = list(ChangeRequest.objects.filter(person=person).select_related("decided_by").order_by("requested_at"))
    data["人员信息"] = _person(person)
    data["重点群体身份"] = [_status(s) for s in statuses]
    data["信息变更申请"] = [_change(c) for c in changes]
    data["市场主体"] = _businesses(person)
    objects = {
        "person": [person.pk],
        "key_group_status": [s.pk for s in statuses],
        "change_request": [c.pk for c in changes],
    }
    data["附件"] = _attachments(objects)
    data["访问和处理记录"] = _audit_trail(objects)
    return data


def _person(person: Person) -> dict[str, Any]:
    return {
        "姓名": person.name,
        "身份证号": person.id_number,
        "性别": person.get_sex_display(),
        "出生日期": _day(person.birth_date),
        "手机号": person.phone,
        "户籍地代码": person.hukou_region_code,
        "常住地代码": person.region_code,
        "学历": person.get_education_display(),
        "毕业院校": person.school,
        "毕业日期": _day(person.graduation_date),
        "就业状态": person.get_employment_display(),
        "法律保留": person.legal_hold,
        "登记时间": _moment(person.created_at),
        "最近更新": _moment(person.updated_at),
    }


def _status(status: KeyGroupStatus) -> dict[str, Any]:
    return {
        "类别": status.category.name,
        "状态": status.get_state_display(),
        "有效期自": _day(status.valid_from),
        "有效期至": _day(status.valid_to),
        "申报时间": _moment(status.declared_at),
        "申报说明": status.declaration,
        "认定时间": _moment(status.decided_at),
        "认定人": _name_of(status.decided_by),
        "认定意见": status.decision_note,
        "历史": [
            {"时间": _moment(e.at), "操作人": _name_of(e.actor), "从": e.from_state, "到": e.to_state, "说明": e.note}
            for e in status.events.all()
        ],
    }


def _change(change: ChangeRequest) -> dict[str, Any]:
    return {
        "申请时间": _moment(change.requested_at),
        "申请变更": change.changes,
        "变更原因": change.reason,
        "状态": change.get_state_display(),
        "审核时间": _moment(change.decided_at),
        "审核人": _name_of(change.decided_by),
        "审核意见": change.decision_note,
    }


def _businesses(person: Person) -> list[dict[str, Any]]:
    roles: dict[int, list[str]] = {}
    for founder in Founder.objects.filter(person=person):
        roles.setdefault(founder.business_id, []).append(founder.get_role_display())
    businesses = Business.objects.filter(Q(pk__in=roles) | Q(legal_representative=person)).order_by("pk")
    return [
        {
            "统一社会信用代码": b.credit_code,
            "名称": b.name,
            "类型": b.get_kind_display(),
            "本人角色": roles.get(b.pk) or ["法定代表人/经营者"],
            "成立日期": _day(b.registered_on),
            "登记地代码": b.region_code,
            "行业门类": b.get_industry_display(),
            "状态": b.get_status_display(),
        }
        for b in businesses
    ]


def _about(objects: dict[str, list[int]]) -> Q:
    query = Q(pk__in=[])
    for object_type, ids in objects.items():
        if ids:
            query |= Q(object_type=object_type, object_id__in=[str(i) for i in ids])
    return query


def _attachments(objects: dict[str, list[int]]) -> list[dict[str, Any]]:
    return [
        {"文件名": a.original_name, "类型": a.content_type, "大小（字节）": a.size, "上传时间": _moment(a.uploaded_at)}
        for a in Attachment.objects.filter(_about(objects)).order_by("uploaded_at")
    ]


def _audit_trail(objects: dict[str, list[int]]) -> list[dict[str, Any]]:
    events = list(AuditEvent.objects.filter(_about(objects)).order_by("occurred_at", "pk"))
    actors = User.objects.in_bulk({e.actor_id for e in events if e.actor_id})
    roles = dict(Role.choices)
    trail = []
    for event in events:
        details = event.details or {}
        trail.append(
            {
                "时间": _moment(event.occurred_at),
                "操作": ACTIONS.get(event.action, event.action),
                "操作人": _name_of(actors.get(event.actor_id)) if event.actor_id else "系统",
                "操作人角色": roles.get(event.actor_role, event.actor_role),
                "行政区划": event.region_code,
                "查看的信息": FIELDS.get(str(details.get("field", "")), ""),
                "原因": str(details.get("reason", "")),
                "结果": event.get_outcome_display(),
            }
        )
    return trail


def my_data_download(*, user: Any, request: HttpRequest | None = None) -> dict[str, Any]:
    """``my_data`` for the signed-in citizen, with the download itself recorded in the audit trail."""
    data = my_data(user)
    person = Person.objects.filter(user=user).only("pk", "region_code").first()
    record_event(
        "person.data_export",
        actor=user,
        object_type="person" if person else "user",
        object_id=person.pk if person else user.pk,
        region_code=person.region_code if person else "",
        request=request,
    )
    return data
