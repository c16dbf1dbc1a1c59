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
    # policies: the facts vocabulary and the parameter-override fields
    "birth_date": "出生日期",
    "sex": "性别",
    "key_groups": "重点群体类别",
    "graduation_date": "毕业日期",
    "employed": "是否已就业",
    "flexible_employment_registered": "已办理灵活就业登记",
    "prior_guaranteed_loans": "此前获得创业担保贷款次数",
    "has_overdue_guaranteed_loan": "有逾期未还的创业担保贷款",
    "has_disallowed_debt": "有规定以外的其他贷款",
    "requested_amount": "申请贷款金额",
    "honour_city_level": "获得设区的市级以上荣誉称号",
    "recommended_by_demonstration_incubator": "经创业孵化示范载体推荐",
    "bank_rated_creditworthy": "经办银行评定为信用良好",
    "second_time_founder_good_record": "诚信经营的二次创业者",
    "business_started_on": "创业（登记注册）日期",
    "first_business": "首次创业",
    "course": "创业培训课程",
    "has_training_certificate": "取得创业培训合格证书",
    "previously_subsidised_courses": "已享受过补贴的课程",
    "si_contribution_paid": "实际缴纳的社会保险费",
    "si_subsidy_months_received": "已享受社会保险补贴月数（含本期）",
    "first_si_subsidy_date": "首次核定社会保险补贴日期",
    "is_small_micro": "属于小微企业",
    "headcount": "职工人数",
    "new_key_group_hires_12m": "近12个月新招用重点群体人数",
    "has_wage_or_si_arrears": "有拖欠职工工资或社会保险费",
    "contract_date": "贷款合同签订日期",
    "principal": "贷款本金",
    "annual_rate": "贷款年利率",
    "extended": "贷款已展期",
    "overdue": "贷款已逾期",
    "partners": "合伙人",
    "policy": "政策代码",
    "effective_from": "施行日期",
    "document_number": "文号",
}


def label_for(field: str) -> str:
    """The Chinese label of a (possibly dotted) field name; the last part decides, unknown names pass through."""
    last = field.rsplit(".", 1)[-1]
    return LABELS.get(last, field)
