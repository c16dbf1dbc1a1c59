"""Demo records for plan 8: two gig service zones, 朱红's restaurant postings around 春熙路 over the coming week, an
individual's posting waiting for review, and worker profiles for 李晓雨 and 赵建国. Idempotent: made through the real
actions once, then found by the first zone's name."""

import datetime as dt

from django.utils import timezone

from chuangye.accounts.models import User
from chuangye.flexible import actions
from chuangye.flexible.models import ServiceZone

ZONE_NAME = "锦江区零工服务专区（示例）"
ZONES = [
    {
        "name": ZONE_NAME,
        "region_code": "510104",
        "office": "锦江区公共就业服务中心",
        "address": "锦江区示例街1号一楼",
        "latitude": "30.6571",
        "longitude": "104.0832",
        "opening_hours": "周一至周日 7:30–18:00（即时快招早市 7:30–9:00）",
        "hotline": "028-12333",
        "complaint_channel": "12333热线；专区意见箱；平台「维权求助」",
        "is_active": "1",
    },
    {
        "name": "武侯区零工驿站（示例）",
        "region_code": "510107",
        "office": "武侯区公共就业服务中心",
        "address": "武侯区示例路66号",
        "latitude": "30.6420",
        "longitude": "104.0430",
        "opening_hours": "周一至周五 8:30–17:30",
        "hotline": "028-12333",
        "complaint_channel": "12333热线",
        "is_active": "1",
    },
]
GIGS = [
    ("kitchen", "午市后厨帮工", 30.6590, 104.0815, 1, "11:00", "14:30", "120.00", "job", 3),
    ("waiter", "周末宴会服务员", 30.6545, 104.0790, 5, "17:00", "21:30", "30.00", "hour", 6),
    ("cleaning", "门店开业保洁", 30.6630, 104.0900, 2, "08:00", "12:00", "150.00", "job", 2),
    ("loading", "食材到货装卸", 30.6480, 104.0950, 3, "06:00", "08:00", "80.00", "job", 4),
    ("promotion", "新品试吃促销", 30.6560, 104.0720, 6, "10:00", "18:00", "220.00", "day", 2),
]


def seed() -> str:
    officer = User.objects.filter(username="officer_jj").first()
    officer_wh = User.objects.filter(username="officer_wh").first()
    employer = User.objects.filter(username="employer").first()
    if officer is None or officer_wh is None or employer is None or ServiceZone.objects.filter(name=ZONE_NAME).exists():
        return "灵活就业：演示数据已存在或缺少演示账户，未新增。"
    for zone in ZONES:
        actions.zone_save(actor=officer if zone["region_code"] == "510104" else officer_wh, data=zone)
    actions.market_setting_save(actor=officer, hard_to_place_priority=True)
    today = timezone.localdate()
    for job, title, lat, lng, days, start, end, pay, unit, headcount in GIGS:
        day = (today + dt.timedelta(days=days)).isoformat()
        actions.gig_post(
            actor=employer,
            data={
                "job_type": job,
                "title": title,
                "content": f"{title}，工作餐自理，按约定{'日结' if unit != 'job' else '完工结算'}。",
                "address": "锦江区春熙路附近（示例）",
                "latitude": str(lat),
                "longitude": str(lng),
                "region_code": "510104",
                "work_date": day,
                "start_time": start,
                "end_time": end,
                "pay": pay,
                "pay_unit": unit,
                "settlement": "on_completion" if unit == "job" else "daily",
                "headcount": str(headcount),
            },
        )
    zhao = User.objects.filter(username="migrant_zhao").first()
    li = User.objects.filter(username="grad_li").first()
    made = len(GIGS)
    if zhao is not None and getattr(zhao, "person", None) is not None:
        actions.profile_save(
            actor=zhao,
            data={
                "skills": ["loading", "construction", "decoration"],
                "weekdays": ["1", "2", "3", "4", "5", "6", "7"],
                "address": "锦江区东光街道（示例）",
                "latitude": "30.6450",
                "longitude": "104.0990",
                "radius_km": "8",
                "hard_to_place": ["long_wait"],
            },
        )
    if li is not None and getattr(li, "person", None) is not None:
        actions.profile_save(
            actor=li,
            data={
                "skills": ["design", "data_entry", "tutor"],
                "weekdays": ["6", "7"],
                "address": "锦江区春熙路（示例）",
                "latitude": "30.6570",
                "longitude": "104.0810",
                "radius_km": "5",
            },
        )
        day = (today + dt.timedelta(days=4)).isoformat()
        actions.gig_post(
            actor=li,
            data={
                "job_type": "loading",
                "title": "工作室搬家帮手",
                "content": "搬运桌椅和电脑，约两小时，待审核（演示：个人发布须审核）",
                "address": "锦江区示例小区",
                "latitude": "30.6600",
                "longitude": "104.0860",
                "work_date": day,
                "start_time": "14:00",
                "end_time": "16:00",
                "pay": "100.00",
                "pay_unit": "job",
                "settlement": "on_completion",
                "headcount": "2",
            },
        )
        made += 1
    return f"灵活就业：新增零工服务专区 {len(ZONES)} 个、零工岗位 {made} 个（其中个人发布待审核 1 个）。"
