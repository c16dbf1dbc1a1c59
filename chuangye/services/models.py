"""Public entrepreneurship services (plan 3): information, consultation, mentors and hiring for start-ups.

Text that is searched keeps a ``search_text`` column: the jieba tokens of its title and body, space-separated and
space-padded, so a query token is found with a plain ``LIKE '% token %'`` on SQLite and PostgreSQL alike
(docs/decisions/0013-services-search-routing-matching.md).
"""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from chuangye.core.money import MoneyField
from chuangye.registry.models import Business, Person

USER = settings.AUTH_USER_MODEL


class Article(models.Model):
    """A published piece of information: a policy (with its document number), news, or an event to register for.

    Officers write (editors); a supervisor of the same region reviews before it is published (maker-checker).
    """

    class Kind(models.TextChoices):
        POLICY = "policy", "政策"
        NEWS = "news", "资讯"
        EVENT = "event", "活动"

    class State(models.TextChoices):
        DRAFT = "draft", "草稿"
        PENDING = "pending", "待审核"
        PUBLISHED = "published", "已发布"
        RETURNED = "returned", "退回修改"
        WITHDRAWN = "withdrawn", "已撤下"

    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("正文")
    document_number = models.CharField("文号", max_length=60, blank=True)
    policy_code = models.CharField("关联政策", max_length=60, blank=True)
    region_code = models.CharField("发布地区", max_length=6, db_index=True)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.DRAFT)
    event_starts_at = models.DateTimeField("活动时间", null=True, blank=True)
    event_place = models.CharField("活动地点", max_length=200, blank=True)
    event_capacity = models.PositiveIntegerField("名额", null=True, blank=True)
    author = models.ForeignKey(USER, verbose_name="编辑", on_delete=models.PROTECT, related_name="+")
    reviewer = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    review_note = models.TextField("审核意见", blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = "发布信息"
        ordering: ClassVar[list[str]] = ["-published_at", "-created_at"]

    def __str__(self) -> str:
        return self.title


class EventSignup(models.Model):
    """A citizen's registration for an event article."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="signups")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["article", "user"], name="services_signup_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.article_id}"


class Question(models.Model):
    """A citizen's question, routed by topic and region to the office that must answer within a time limit."""

    class State(models.TextChoices):
        PENDING = "pending", "待答复"
        ANSWERED = "answered", "已答复"
        CLOSED = "closed", "已评价办结"

    asker = models.ForeignKey(USER, verbose_name="咨询人", on_delete=models.PROTECT, related_name="+")
    topic = models.CharField("咨询类别", max_length=16)
    region_code = models.CharField("所属地区", max_length=6, db_index=True)
    office = models.CharField("承办单位", max_length=120)
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("问题摘要", max_length=100)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.PENDING)
    asked_at = models.DateTimeField("提问时间", default=timezone.now)
    due_on = models.DateField("答复期限")
    due_provisional = models.BooleanField(default=False)
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    rating = models.PositiveSmallIntegerField("满意度", null=True, blank=True)
    rating_comment = models.CharField("评价意见", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "咨询"
        ordering: ClassVar[list[str]] = ["-asked_at"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="services_question_rating_1_5",
            )
        ]

    def __str__(self) -> str:
        return self.title


class QuestionMessage(models.Model):
    class Kind(models.TextChoices):
        ASK = "ask", "提问"
        ANSWER = "answer", "答复"
        FOLLOW_UP = "follow_up", "追问"

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar[list[str]] = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d}"


class FaqEntry(models.Model):
    """A good answer, promoted by the office to the public, searchable FAQ."""

    question = models.OneToOneField(Question, null=True, blank=True, on_delete=models.SET_NULL, related_name="faq")
    topic = models.CharField("类别", max_length=16)
    title = models.CharField("问题", max_length=200)
    answer = models.TextField("解答")
    region_code = models.CharField(max_length=6, db_index=True)
    promoted_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    promoted_at = models.DateTimeField(default=timezone.now)
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = "常见问题"
        ordering: ClassVar[list[str]] = ["-promoted_at"]

    def __str__(self) -> str:
        return self.title


class Mentor(models.Model):
    """A 创业导师 in the registry: what they know (industries, business stages, key groups), where, how many."""

    user = models.OneToOneField(USER, on_delete=models.PROTECT, related_name="mentor_profile")
    name = models.CharField("姓名", max_length=50)
    title = models.CharField("职务职称", max_length=100, blank=True)
    bio = models.TextField("简介", blank=True)
    region_code = models.CharField("服务地区", max_length=6, db_index=True)
    industries = models.JSONField("擅长行业", default=list)
    stages = models.JSONField("擅长阶段", default=list)
    groups = models.JSONField("服务群体", default=list)
    capacity = models.PositiveSmallIntegerField("最多同时辅导", default=5)
    available = models.BooleanField("可接受新对接", default=True)
    registered_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "创业导师"
        ordering: ClassVar[list[str]] = ["region_code", "name"]

    def __str__(self) -> str:
        return self.name


class Assignment(models.Model):
    """A mentor paired with a founder, with the score that explained the match and the visit rhythm."""

    class State(models.TextChoices):
        ACTIVE = "active", "辅导中"
        ENDED = "ended", "已结束"

    mentor = models.ForeignKey(Mentor, on_delete=models.PROTECT, related_name="assignments")
    person = models.ForeignKey(Person, verbose_name="创业者", on_delete=models.PROTECT, related_name="+")
    business = models.ForeignKey(Business, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    region_code = models.CharField(max_length=6, db_index=True)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.ACTIVE)
    score = models.PositiveSmallIntegerField("匹配分")
    explanation = models.JSONField("匹配说明", default=list)
    key_project = models.BooleanField("跟踪陪跑重点项目", default=False)
    visit_interval_days = models.PositiveSmallIntegerField("走访周期（天）", default=30)
    next_visit_on = models.DateField("下次走访", null=True, blank=True)
    rating = models.PositiveSmallIntegerField("满意度", null=True, blank=True)
    rating_comment = models.CharField("评价意见", max_length=200, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "导师对接"
        ordering: ClassVar[list[str]] = ["-created_at"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["mentor", "person"], condition=models.Q(state="active"), name="services_assignment_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.mentor_id} ↔ {self.person_id}"


class ServiceLog(models.Model):
    class VisitType(models.TextChoices):
        OUTREACH = "outreach", "主动对接"
        PERIODIC = "periodic", "定期走访"
        ON_SITE = "on_site", "上门服务"
        ACCOMPANY = "accompany", "跟踪陪跑"
        ONLINE = "online", "线上指导"

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="logs")
    visit_type = models.CharField("服务方式", max_length=10, choices=VisitType.choices)
    visited_on = models.DateField("服务日期")
    notes = models.TextField("服务内容")
    next_step = models.CharField("下一步", max_length=200, blank=True)
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar[list[str]] = ["-visited_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_visit_type_display()} {self.visited_on}"


class Opening(models.Model):
    """A start-up's job opening."""

    class State(models.TextChoices):
        OPEN = "open", "招聘中"
        CLOSED = "closed", "已结束"

    business = models.ForeignKey(Business, on_delete=models.PROTECT, related_name="+")
    role = models.CharField("岗位", max_length=60)
    pay_min = MoneyField("月薪下限（元）")
    pay_max = MoneyField("月薪上限（元）")
    place = models.CharField("工作地点", max_length=200)
    region_code = models.CharField("所在地区", max_length=6, db_index=True)
    requirements = models.TextField("任职要求")
    headcount = models.PositiveSmallIntegerField("招聘人数", default=1)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.OPEN)
    posted_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = "招聘岗位"
        ordering: ClassVar[list[str]] = ["-created_at"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=models.Q(pay_min__gte=0) & models.Q(pay_max__gte=models.F("pay_min")),
                name="services_opening_pay_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.role}（{self.business.name}）"


class SeekerProfile(models.Model):
    """A job seeker's profile (one per citizen account)."""

    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="seeker_profile")
    desired_role = models.CharField("意向岗位", max_length=60)
    skills = models.TextField("技能与经历")
    expected_pay = MoneyField("期望月薪（元）")
    region_code = models.CharField("意向地区", max_length=6)
    available = models.BooleanField("正在求职", default=True)
    updated_at = models.DateTimeField(default=timezone.now)
    search_text = models.TextField(blank=True, editable=False)

    def __str__(self) -> str:
        return self.desired_role


class JobApplication(models.Model):
    class State(models.TextChoices):
        APPLIED = "applied", "已投递"
        INTERVIEW = "interview", "邀请面试"
        HIRED = "hired", "已录用"
        DECLINED = "declined", "未录用"

    opening = models.ForeignKey(Opening, on_delete=models.CASCADE, related_name="applications")
    seeker = models.ForeignKey(SeekerProfile, on_delete=models.PROTECT, related_name="applications")
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.APPLIED)
    score = models.PositiveSmallIntegerField("匹配分", default=0)
    fair = models.ForeignKey("Fair", null=True, blank=True, on_delete=models.SET_NULL, related_name="outcomes")
    note = models.CharField("备注", max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["opening", "seeker"], name="services_apply_once")
        ]

    def __str__(self) -> str:
        return f"{self.seeker_id} → {self.opening_id}"


class Fair(models.Model):
    """A matchmaking event (对接洽谈会) where start-ups and job seekers both register."""

    title = models.CharField("名称", max_length=100)
    region_code = models.CharField("举办地区", max_length=6, db_index=True)
    place = models.CharField("地点", max_length=200)
    starts_at = models.DateTimeField("时间")
    organiser = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "对接洽谈会"
        ordering: ClassVar[list[str]] = ["-starts_at"]

    def __str__(self) -> str:
        return self.title


class FairSignup(models.Model):
    class Side(models.TextChoices):
        EMPLOYER = "employer", "用人单位"
        SEEKER = "seeker", "求职者"

    fair = models.ForeignKey(Fair, on_delete=models.CASCADE, related_name="signups")
    side = models.CharField(max_length=10, choices=Side.choices)
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    business = models.ForeignKey(Business, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["fair", "user", "side"], name="services_fair_signup_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_side_display()} {self.user_id}"
