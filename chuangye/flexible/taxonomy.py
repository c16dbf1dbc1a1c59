"""The job-type taxonomy of the gig market: code → (label, GB/T 4754 industry section).

No national posting schema exists (DOMAIN §14); this list follows the common gig categories of local markets and is
grouped by industry so that statistics and the 求人倍率 can be published by industry.
"""

JOB_TYPES: dict[str, tuple[str, str]] = {
    "loading": ("装卸搬运", "G"),
    "delivery": ("快递配送", "G"),
    "driver": ("驾驶员", "G"),
    "warehouse": ("仓储理货", "G"),
    "cleaning": ("保洁", "O"),
    "housekeeping": ("家政服务", "O"),
    "elder_care": ("养老护理", "Q"),
    "repair": ("家电维修", "O"),
    "kitchen": ("后厨帮工", "H"),
    "waiter": ("餐厅服务员", "H"),
    "cashier": ("收银理货", "F"),
    "promotion": ("促销导购", "F"),
    "construction": ("建筑小工", "E"),
    "decoration": ("装修工", "E"),
    "electrician": ("电工", "E"),
    "assembly": ("普工装配", "C"),
    "farm": ("农活帮工", "A"),
    "security": ("保安", "L"),
    "event": ("会展活动", "L"),
    "tutor": ("家教辅导", "P"),
    "design": ("设计制作", "I"),
    "data_entry": ("数据录入", "I"),
}

JOB_TYPE_CHOICES = [(code, label) for code, (label, _) in JOB_TYPES.items()]


def industry_of(job_type: str) -> str:
    return JOB_TYPES[job_type][1]


def label_of(job_type: str) -> str:
    return JOB_TYPES.get(job_type, (job_type, ""))[0]
