"""Demo policy settings: the city of 成都 sets its one-off start-up subsidy, 锦江区 grants it without an application
(免申即享), and a first proactive scan runs, so officer_jj's queue holds cases to confirm. Idempotent."""

from django.utils import timezone

from chuangye.accounts.models import User
from chuangye.policies.actions import parameter_override_create
from chuangye.policies.models import ParameterOverride
from chuangye.policies.scan import scan

DEMO_DOCUMENT = "演示数据（非真实文件）"
SETTINGS = [
    ("subsidy.startup_once.amount", "510100", "10000.00", "2024-01-01"),
    ("subsidy.startup_once.grant_without_application", "510104", "是", "2026-01-01"),
]


def seed_policies() -> str:
    author = User.objects.get(username="supervisor_jj")
    for name, region, value, start in SETTINGS:
        if not ParameterOverride.objects.filter(name=name, region_code=region, document_number=DEMO_DOCUMENT).exists():
            parameter_override_create(
                actor=author,
                name=name,
                region_code=region,
                value=value,
                effective_from=start,
                document_number=DEMO_DOCUMENT,
            )
    result = scan(on=timezone.localdate(), notify_people=False)
    return (
        f"政策找人：扫描 {result.people} 人，符合条件 {result.newly_eligible} 项，"
        f"免申即享待确认办件 {result.grants} 件。"
    )
