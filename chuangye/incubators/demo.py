"""Demo records: 马超's government-funded incubation base in 武侯区 with desks, offices and a workshop, a returning-home
park that is not government-funded, shared equipment, a few events and board posts. Idempotent: made through the
real actions once, then found by name."""

import datetime as dt

from django.utils import timezone

from chuangye.accounts.models import User
from chuangye.incubators import actions
from chuangye.incubators.models import BoardPost, Carrier

BASE_NAME = "武侯区大学生创业孵化基地（示例）"
PARK_NAME = "武侯区返乡入乡创业园（示例）"


def _certify_graduate() -> None:
    """李晓雨 (grad_li) is a 2024 graduate: record her 高校毕业生 status, as 王芳 would from the school's list, unless
    another demo already did, so the free-desk journey can be walked with the demo accounts."""
    from chuangye.registry.actions import key_group_certify_directly
    from chuangye.registry.models import KeyGroupCategory, Person
    from chuangye.registry.selectors import active_key_groups

    person = Person.objects.filter(user__username="grad_li").first()
    officer = User.objects.filter(username="officer_jj").first()
    today = timezone.localdate()
    if person is None or officer is None or "graduate" in active_key_groups(person, today):
        return
    key_group_certify_directly(
        actor=officer,
        person=person,
        category=KeyGroupCategory.objects.get(code="graduate"),
        valid_from=dt.date(2024, 7, 1),
        valid_to=None,
        note="依据高校毕业生名单认定（演示数据）",
    )


def seed() -> str:
    operator = User.objects.filter(username="incubator").first()
    if operator is None or Carrier.objects.filter(name=BASE_NAME).exists():
        return "孵化载体：演示数据已存在或缺少运营机构账户，未新增。"
    base = actions.carrier_create(
        actor=operator,
        data={
            "name": BASE_NAME,
            "kind": "base",
            "level": "city",
            "region_code": "510107",
            "address": "武侯区示例路88号",
            "government_funded": True,
            "total_area": "3200.00",
            "services": "创业指导,政策咨询,融资对接,工商代办,路演活动",
            "staff_count": "6",
            "mentor_count": "12",
            "description": "政府投资开发的综合性创业孵化基地，重点群体优先免费入驻。",
        },
    )
    park = actions.carrier_create(
        actor=operator,
        data={
            "name": PARK_NAME,
            "kind": "returning",
            "level": "none",
            "region_code": "510107",
            "address": "武侯区示例镇工业园3号",
            "government_funded": False,
            "total_area": "5000.00",
            "services": "厂房租赁,电商直播,物流对接",
            "staff_count": "3",
            "mentor_count": "4",
        },
    )
    spaces = 0
    for n in range(1, 21):
        actions.space_add(
            actor=operator,
            carrier=base,
            data={"code": f"D{n:02d}", "kind": "desk", "area": "6.00", "monthly_rent": "300.00"},
        )
        spaces += 1
    for n in range(1, 5):
        actions.space_add(
            actor=operator,
            carrier=base,
            data={"code": f"O{n:02d}", "kind": "office", "area": "40.00", "monthly_rent": "2000.00"},
        )
        spaces += 1
    for n in range(1, 4):
        actions.space_add(
            actor=operator,
            carrier=park,
            data={"code": f"W{n:02d}", "kind": "workshop", "area": "300.00", "monthly_rent": "6000.00"},
        )
        spaces += 1
    for carrier, name, description in (
        (base, "3D打印机", "光固化，适合样品打样"),
        (base, "路演厅投影与音响", "可容纳80人"),
        (park, "直播间设备", "补光灯、声卡与手机支架"),
    ):
        actions.equipment_add(actor=operator, carrier=carrier, data={"name": name, "description": description})
    today = timezone.localdate()
    for weeks, title in ((2, "创业政策解读会"), (6, "大学生创业项目路演"), (10, "融资对接沙龙")):
        held = today - dt.timedelta(weeks=weeks)
        actions.carrier_event_add(
            actor=operator, carrier=base, data={"title": title, "held_on": held.isoformat(), "participants": "40"}
        )
    actions.board_post_create(
        actor=operator,
        data={
            "kind": "site",
            "carrier": str(base.pk),
            "title": "路演厅每周三下午免费开放",
            "body": "在孵及园外创业团队均可预约路演厅开展项目展示与交流。",
            "contact": "基地服务台 028-00000000",
        },
    )
    founder = User.objects.filter(username="grad_li").first()
    if founder is not None and not BoardPost.objects.filter(posted_by=founder).exists():
        actions.board_post_create(
            actor=founder,
            data={
                "kind": "project",
                "title": "校园二手书循环平台寻找技术合伙人",
                "body": "项目已有两所高校试点，寻找熟悉小程序开发的合伙人。",
                "region_code": "510104",
                "contact": "站内联系 李晓雨",
            },
        )
    _certify_graduate()
    return f"孵化载体：新增载体 2 个、场地 {spaces} 个、共享设备 3 台、创业活动 3 场。"
