"""Chinese labels for field names, so that API and form errors name a field the way a user knows it.

One glossary for the whole platform; an app adds its own field names here when it adds them to an API.
"""

LABELS: dict[str, str] = {
    "start": "起始日期",
    "days": "工作日数",
    "parent": "上级行政区划",
    "code": "代码",
    "region_code": "行政区划代码",
    "id_number": "身份证号",
    "credit_code": "统一社会信用代码",
    "name": "姓名",
    "phone": "手机号",
    "amount": "金额",
    "facts": "事实数据",
    "on": "决定日期",
    "region": "行政区划",
}


def label_for(field: str) -> str:
    """The Chinese label of a (possibly dotted) field name; the last part decides, unknown names pass through."""
    last = field.rsplit(".", 1)[-1]
    return LABELS.get(last, field)
