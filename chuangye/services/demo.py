"""Demo records for plan 3: 郭明 in the mentor registry (registered by 成都市's 杨帆) with 李晓雨 paired to him and a
first visit logged; published policy, news and event articles (王芳 writes, 刘敏 reviews); a question from 李晓雨
answered by 王芳, rated and promoted to the FAQ; an opening of 李晓雨's business and 赵建国's job-seeker profile; a
matchmaking fair in two weeks. Idempotent: each part is made through the real actions once, then found again."""

import datetime as dt

from django.utils import timezone

from chuangye.accounts.models import User
from chuangye.registry.models import Business
from chuangye.services import actions
from chuangye.services.models import Article, Fair, Mentor, Opening, Question, SeekerProfile

FAIR_TITLE = "锦江区初创企业招聘对接洽谈会（示例）"
QUESTION_TITLE = "一次性创业补贴需要经营满多久才能申请？"
ARTICLES = [
    {
        "kind": "policy",
        "title": "关于做好一次性创业补贴申领工作的通知（示例）",
        "document_number": "锦人社发〔2026〕8号（示例）",
        "policy_code": "subsidy.startup_once",
        "body": "离校2年内的高校毕业生、就业困难人员和返乡创业农民工首次创办小微企业或从事个体经营，"
        "正常经营满12个月的，可向经营地人社部门申请一次性创业补贴。申请材料：营业执照、身份证明、群体身份证明。",
    },
    {
        "kind": "news",
        "title": "个人创业担保贷款最高额度提高至30万元",
        "document_number": "",
        "body": "按照财金〔2023〕75号，符合条件的个人创业担保贷款最高额度提高至30万元，小微企业最高500万元。",
    },
    {
        "kind": "event",
        "title": "锦江区创业沙龙：餐饮门店经营实战分享（示例）",
        "document_number": "",
        "body": "邀请创业导师与成功创业者分享门店选址、外卖运营与成本控制经验，欢迎创业者报名参加。",
        "event_place": "锦江区创业服务中心三楼",
        "event_capacity": "60",
    },
]


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _li_business(li: User, officer: User) -> Business | None:
    found = Business.objects.filter(founders__person__user=li, status=Business.Status.OPERATING).first()
    if found is not None:
        return found
    from chuangye.cases.actions import case_transition
    from chuangye.registration.actions import registration_establish_submit

    person = li.person
    case = registration_establish_submit(
        applicant=li,
        data={
            "kind": "individual",
            "name": "晓雨文创咖啡馆（示例）",
            "address": "成都市锦江区春熙路示例1号",
            "region_code": person.region_code,
            "business_scope": "餐饮服务；文化创意设计",
            "industry": "H",
        },
        founders=[{"name": person.name, "id_number": person.id_number}],
    )
    case_transition(case=case, action="approve_on_spot", actor=officer)
    return Business.objects.filter(founders__person__user=li, status=Business.Status.OPERATING).first()


def seed() -> str:
    li, zhao = _user("grad_li"), _user("migrant_zhao")
    officer, supervisor, city = _user("officer_jj"), _user("supervisor_jj"), _user("officer_cd")
    guo_account = _user("mentor_guo")
    if li is None or zhao is None or officer is None or supervisor is None or city is None or guo_account is None:
        return "创业服务：缺少演示账号，未生成示例数据"
    made: list[str] = []
    today = timezone.localdate()

    guo = Mentor.objects.filter(user=guo_account).first()
    if guo is None:
        guo = actions.mentor_register(
            actor=city,
            username=guo_account.username,
            data={
                "name": "郭明",
                "title": "成都市创业导师团成员、连锁餐饮企业创始人",
                "bio": "十五年餐饮与零售创业经验，擅长门店选址、连锁运营与融资规划。",
                "region_code": "510100",
                "capacity": "6",
                "available": "1",
            },
            industries=["H", "F", "R"],
            stages=["idea", "startup", "growth"],
            groups=["graduate", "returning_migrant", "employment_difficulty"],
        )
        made.append("导师1名")
    li_person = getattr(li, "person", None)
    if li_person is not None and not guo.assignments.filter(person=li_person).exists():
        assignment = actions.mentor_assign(actor=li, person=li_person, mentor_id=guo.pk)
        actions.service_log_add(
            actor=guo_account,
            assignment=assignment,
            visit_type="outreach",
            visited_on=today,
            notes="电话主动对接，了解开店计划与资金需求，介绍创业担保贷款与一次性创业补贴。",
            next_step="两周内上门查看选址",
        )
        made.append("导师对接1项")

    for spec in ARTICLES:
        if Article.objects.filter(title=spec["title"]).exists():
            continue
        data = dict(spec)
        if data["kind"] == "event":
            data["event_starts_at"] = (timezone.now() + dt.timedelta(days=10)).replace(hour=14, minute=0).isoformat()
        article = actions.article_save(actor=officer, data=data)
        actions.article_submit(actor=officer, article=article)
        actions.article_review(actor=supervisor, article=article, approve=True, note="同意发布")
        made.append(f"发布「{article.get_kind_display()}」1篇")

    if not Question.objects.filter(title=QUESTION_TITLE).exists():
        question = actions.question_ask(
            asker=li,
            topic="policy",
            title=QUESTION_TITLE,
            body="我今年3月开了一家咖啡馆，什么时候可以申请一次性创业补贴？",
        )
        actions.question_answer(
            actor=officer,
            question=question,
            body="首次创业、正常经营满12个月后即可向经营地人社部门申请；请准备营业执照、身份证明和群体身份证明。",
        )
        actions.question_rate(actor=li, question=question, rating=5, comment="答复及时清楚")
        actions.faq_promote(actor=officer, question=question)
        made.append("咨询与常见问题1条")

    business = _li_business(li, officer)
    if business is not None and not Opening.objects.filter(business=business).exists():
        actions.opening_post(
            actor=li,
            business=business,
            data={
                "role": "咖啡师",
                "pay_min": "4500",
                "pay_max": "6500",
                "place": "成都市锦江区春熙路",
                "headcount": "2",
                "requirements": "有咖啡制作经验，熟悉意式咖啡机，能适应早班。",
            },
        )
        made.append("招聘岗位1个")
    if not SeekerProfile.objects.filter(user=zhao).exists():
        actions.seeker_profile_save(
            actor=zhao,
            data={
                "desired_role": "咖啡师",
                "skills": "返乡前在广州咖啡连锁店工作三年，会意式咖啡制作与门店管理。",
                "expected_pay": "5000",
                "region_code": "510104",
            },
        )
        made.append("求职登记1份")
    if not Fair.objects.filter(title=FAIR_TITLE).exists():
        actions.fair_create(
            actor=officer,
            data={
                "title": FAIR_TITLE,
                "region_code": "510104",
                "place": "锦江区人力资源市场二楼",
                "starts_at": (timezone.now() + dt.timedelta(days=14)).replace(hour=9, minute=30).isoformat(),
            },
        )
        made.append("对接洽谈会1场")
    return "创业服务：" + ("、".join(made) if made else "示例数据已存在")
