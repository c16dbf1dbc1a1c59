"""The service catalogue (功能手册), generated at request time from the registries that run the services.

One source of truth: every case type registered with the case engine (its title, service mode, time limit,
materials, legal basis), every policy in the policy catalogue (its conditions, legal basis, and the parameters in
force for the region, with their documents), and this app's own services (consultation time limits come from the
routing table that enforces them). Nothing here is a hand-kept list of services.
"""

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from django.urls import reverse
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from chuangye.cases import types
from chuangye.cases.types import ServiceMode
from chuangye.core.pdf import FONT
from chuangye.policies.catalogue import CATALOGUE
from chuangye.policies.params import display_value
from chuangye.policies.policy import Policy
from chuangye.policies.resolver import snapshot_for
from chuangye.services.routing import TOPICS

# The one-stop categories of plan 3, and which category each app's case types belong to (by code prefix).
CATEGORIES = (
    "信息发布",
    "政策咨询",
    "能力提升",
    "创业指导",
    "创业孵化",
    "创业融资",
    "登记办理",
    "政策兑现",
    "活动对接",
    "其他服务",
)
CASE_CATEGORY = {
    "registration": "登记办理",
    "loan": "创业融资",
    "training": "能力提升",
    "cultivation": "能力提升",
    "incubator": "创业孵化",
    "incubators": "创业孵化",
    "policy": "政策兑现",
    "flexible": "政策兑现",
}
PLAN_CATEGORY = {"创业政策扶持": "创业融资", "创业培训赋能": "能力提升", "创业载体筑巢": "创业孵化"}
APPLICANTS = {"person": "个人", "business": "经营主体"}
WHERE = {
    "person": "网上：登录本平台提交，在「我的办件」查看进度；线下：常住地县（市、区）人社部门或政务服务中心窗口",
    "business": (
        "网上：登录本平台以经营主体名义提交，在「我的办件」查看进度；线下：登记地县（市、区）人社部门或政务服务中心窗口"
    ),
}


@dataclass
class Service:
    code: str
    title: str
    category: str
    source: str  # 办件 / 政策 / 服务
    conditions: list[str] = field(default_factory=list)
    materials: list[str] = field(default_factory=list)
    time_limit: str = ""
    mode: str = ""
    where: str = ""
    basis: list[str] = field(default_factory=list)
    parameters: list[dict[str, Any]] = field(default_factory=list)
    link: str = ""


def _case_service(case_type: types.CaseType) -> Service:
    mode = ServiceMode.LABELS.get(case_type.service_mode, case_type.service_mode)
    if case_type.time_limit_workdays:
        limit = f"{case_type.time_limit_workdays}个工作日"
        if case_type.extension_workdays:
            limit += f"（经批准可延长{case_type.extension_workdays}个工作日）"
        if case_type.paused_states:
            limit += "；补正材料期间不计时"
    else:
        limit = mode
    conditions = [f"申请人：{APPLICANTS.get(case_type.applicant_kind, case_type.applicant_kind)}"]
    if case_type.description:
        conditions.append(case_type.description)
    prefix = case_type.code.split(".")[0]
    return Service(
        code=case_type.code,
        title=case_type.title,
        category=CASE_CATEGORY.get(prefix, "其他服务"),
        source="办件",
        conditions=conditions,
        materials=[f"{m.label}{'' if m.required else '（如有）'}" for m in case_type.materials],
        time_limit=limit,
        mode=mode,
        where=WHERE.get(case_type.applicant_kind, WHERE["person"]),
        basis=[case_type.legal_basis] if case_type.legal_basis else [],
    )


def policy_parameters(policy: Policy, *, on: dt.date, region_code: str = "") -> list[dict[str, Any]]:
    """The parameters a policy reads, with the value in force for the region on ``on`` and its document."""
    snapshot = snapshot_for(on=on, region_code=region_code)
    rows = []
    for name in policy.parameters:
        if name not in snapshot.series:
            continue
        spec = snapshot.spec(name)
        entry = snapshot.entry(name)
        value = display_value(spec, entry.value) if entry is not None else None
        if isinstance(value, list):
            value = "、".join(value)
        rows.append(
            {
                "name": name,
                "label": spec.label,
                "value": "本地区尚未设定" if value is None else f"{value}{spec.unit if spec.unit != '元' else ' 元'}",
                "document": (entry.source or entry.document) if entry is not None else "",
            }
        )
    return rows


def _policy_service(policy: Policy, on: dt.date, region_code: str) -> Service:
    conditions = [c.label for c in policy.criteria]
    if policy.amount_label:
        conditions.append(f"{policy.amount_label}：按下列参数计算")
    if policy.notes:
        conditions.append(policy.notes)
    return Service(
        code=policy.code,
        title=policy.title,
        category=PLAN_CATEGORY.get(policy.plan_title, "政策兑现"),
        source="政策",
        conditions=conditions,
        time_limit="随对应办件办理；符合条件的可免申即享",
        mode=f"计划{policy.plan}：{policy.plan_title}",
        where="网上：登录本平台「我能享受的政策」查看并申请；线下：常住地县（市、区）人社部门",
        basis=list(policy.legal_basis),
        parameters=policy_parameters(policy, on=on, region_code=region_code),
    )


def _own_services() -> list[Service]:
    limits = sorted({t.time_limit_workdays for t in TOPICS.values()})
    by_limit = "；".join(
        f"{'、'.join(t.label for t in TOPICS.values() if t.time_limit_workdays == n)}{n}个工作日内答复" for n in limits
    )
    return [
        Service(
            code="services.consultation",
            title="创业咨询",
            category="政策咨询",
            source="服务",
            conditions=["注册登录的个人用户均可咨询", "按咨询类别和地区自动转交承办单位；答复后可追问、评价"],
            materials=["问题描述", "相关材料（PDF、PNG 或 JPEG，可选）"],
            time_limit=by_limit + "（追问重新计时）",
            mode="限时办结",
            where="网上：本平台「创业咨询」",
            link=reverse("services:ask"),
        ),
        Service(
            code="services.mentoring",
            title="创业导师对接与跟踪服务",
            category="创业指导",
            source="服务",
            conditions=["已登记的创业者或筹备创业的个人", "按行业、创业阶段、重点群体与地区匹配导师，说明匹配理由"],
            materials=["无需材料"],
            time_limit="对接后7日内导师主动对接；此后定期走访（一般每30天，跟踪陪跑重点项目每14天）",
            mode="主动对接、定期走访、上门服务",
            where="网上：本平台「创业导师」",
            link=reverse("services:mentor_match"),
        ),
        Service(
            code="services.hiring",
            title="初创企业招聘与人岗匹配",
            category="活动对接",
            source="服务",
            conditions=["创业者可为本人创办的存续经营主体发布岗位", "求职者登记求职信息后获得岗位推荐"],
            materials=["岗位名称、月薪范围、工作地点、任职要求"],
            time_limit="即时发布",
            mode="当场办结",
            where="网上：本平台「招聘对接」；线下：对接洽谈会",
            link=reverse("services:jobs"),
        ),
        Service(
            code="services.information",
            title="创业政策与活动信息发布",
            category="信息发布",
            source="服务",
            conditions=["政策文件、资讯与活动经编辑、审核后公开发布", "活动可在线报名"],
            time_limit="即时查询",
            mode="当场办结",
            where="网上：本平台「创业资讯」",
            link=reverse("services:info"),
        ),
    ]


def build(*, on: dt.date, region_code: str = "") -> list[tuple[str, list[Service]]]:
    """The whole catalogue, grouped by category in plan-3 order; read from the registries on every call."""
    services = [_case_service(t) for t in types.all_types()]
    services += [_policy_service(p, on, region_code) for p in CATALOGUE.values()]
    services += _own_services()
    groups: dict[str, list[Service]] = {c: [] for c in CATEGORIES}
    for service in services:
        groups.setdefault(service.category, []).append(service)
    return [(name, items) for name, items in groups.items() if items]


def render_pdf(groups: list[tuple[str, list[Service]]], *, on: dt.date, region_label: str) -> bytes:
    """The printable 功能手册."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm, bottomMargin=16 * mm
    )
    doc.title = "创业服务功能手册"
    base = ParagraphStyle("base", fontName=FONT, fontSize=10, leading=15, wordWrap="CJK")
    h1 = ParagraphStyle("h1", parent=base, fontSize=20, leading=28, alignment=1)
    h2 = ParagraphStyle("h2", parent=base, fontSize=15, leading=22, spaceBefore=10)
    h3 = ParagraphStyle("h3", parent=base, fontSize=12, leading=18, spaceBefore=8)
    item = ParagraphStyle("item", parent=base, leftIndent=10)
    story: list[Any] = [
        Paragraph("创业服务功能手册", h1),
        Paragraph(escape(f"{region_label} · {on:%Y年%m月%d日}生成 · 依据人社部发〔2022〕81号"), base),
        Spacer(1, 6 * mm),
    ]
    for category, services in groups:
        story.append(Paragraph(escape(category), h2))
        for service in services:
            story.append(Paragraph(escape(f"{service.title}（{service.source}）"), h3))
            rows = [
                ("办理条件", "；".join(service.conditions)),
                ("申请材料", "；".join(service.materials) or "无"),
                ("办理时限", service.time_limit),
                ("服务方式", service.mode),
                ("办理渠道", service.where),
                ("设定依据", "；".join(service.basis) or "—"),
            ]
            for label, text in rows:
                story.append(Paragraph(escape(f"【{label}】{text}"), item))
            for parameter in service.parameters:
                line = f"· {parameter['label']}：{parameter['value']}（{parameter['document']}）"
                story.append(Paragraph(escape(line), item))
    doc.build(story)
    return buffer.getvalue()
