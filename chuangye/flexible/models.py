"""Flexible employment (plan 8): the gig market, worker profiles, rights protection, employment registration and the
social-insurance subsidy for flexible workers."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from chuangye.core.money import MoneyField
from chuangye.flexible.taxonomy import JOB_TYPE_CHOICES


class HardToPlace(models.TextChoices):
    """Graded help for hard-to-place workers (人社部发〔2023〕65号)."""

    LONG_WAIT = "long_wait", "长期失业（求职时间长）"
    LOW_INCOME = "low_income", "低收入家庭"
    DISABLED = "disabled", "残疾人"
    OLDER = "older", "大龄人员"


class MarketSetting(models.Model):
    """What a region chooses for its gig market and rights protection."""

    region_code = models.CharField("行政区划", max_length=6, unique=True)
    hard_to_place_priority = models.BooleanField("困难人员优先推荐", default=False)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "零工市场设置"

    def __str__(self) -> str:
        return self.region_code


class ServiceZone(models.Model):
    """零工服务专区: a zone or window inside a public employment office."""

    name = models.CharField("专区名称", max_length=100)
    region_code = models.CharField("行政区划", max_length=6, db_index=True)
    office = models.CharField("所在公共就业服务机构", max_length=100)
    address = models.CharField("地址", max_length=200)
    latitude = models.FloatField("纬度")
    longitude = models.FloatField("经度")
    opening_hours = models.CharField("开放时间", max_length=200)
    hotline = models.CharField("服务热线", max_length=30)
    complaint_channel = models.CharField("投诉渠道", max_length=200)
    is_active = models.BooleanField("开放", default=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "零工服务专区"
        ordering: ClassVar[list[str]] = ["region_code", "name"]

    def __str__(self) -> str:
        return self.name


class Gig(models.Model):
    """A posting in the gig market. Postings by individual employers wait for review before they are published."""

    class Poster(models.TextChoices):
        EMPLOYER = "employer", "用人单位"
        INDIVIDUAL = "individual", "个人雇主"

    class Status(models.TextChoices):
        PENDING = "pending", "待审核"
        PUBLISHED = "published", "已发布"
        REJECTED = "rejected", "审核未通过"
        CLOSED = "closed", "已关闭"
        BLOCKED = "blocked", "已屏蔽"

    class PayUnit(models.TextChoices):
        DAY = "day", "元/天"
        HOUR = "hour", "元/小时"
        JOB = "job", "元/件（单次）"

    class Settlement(models.TextChoices):
        DAILY = "daily", "日结"
        ON_COMPLETION = "on_completion", "完工结算"

    poster = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="gigs")
    poster_kind = models.CharField("发布方", max_length=12, choices=Poster.choices)
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="gigs"
    )
    poster_name = models.CharField("发布方名称", max_length=100)
    region_code = models.CharField("行政区划", max_length=6, db_index=True)
    job_type = models.CharField("工种", max_length=20, choices=JOB_TYPE_CHOICES)
    industry = models.CharField("行业门类", max_length=1)
    title = models.CharField("标题", max_length=60)
    content = models.TextField("工作内容")
    address = models.CharField("工作地点", max_length=200)
    latitude = models.FloatField("纬度")
    longitude = models.FloatField("经度")
    work_date = models.DateField("工作日期")
    start_time = models.TimeField("开始时间")
    end_time = models.TimeField("结束时间")
    pay = MoneyField("报酬")
    pay_unit = models.CharField("计酬方式", max_length=8, choices=PayUnit.choices)
    settlement = models.CharField("结算方式", max_length=16, choices=Settlement.choices)
    headcount = models.PositiveSmallIntegerField("招用人数")
    taken = models.PositiveSmallIntegerField("已接单人数", default=0)
    valid_until = models.DateTimeField("有效期至")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField("审核意见", max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "零工岗位"
        ordering: ClassVar[list[str]] = ["-created_at"]
        indexes: ClassVar[list[models.Index]] = [
            # Search: skill and date fix a small slice, the latitude range of the bounding box narrows it further.
            models.Index(fields=["job_type", "work_date", "latitude"], name="gig_type_date_lat_idx"),
            models.Index(fields=["work_date", "latitude"], name="gig_date_lat_idx"),
            models.Index(fields=["status", "region_code"], name="gig_status_region_idx"),
        ]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=models.Q(pay__gt=0), name="gig_pay_positive"),
            models.CheckConstraint(condition=models.Q(headcount__gte=1), name="gig_headcount_positive"),
            models.CheckConstraint(condition=models.Q(taken__lte=models.F("headcount")), name="gig_not_overbooked"),
            models.CheckConstraint(condition=models.Q(end_time__gt=models.F("start_time")), name="gig_hours_ordered"),
        ]

    def __str__(self) -> str:
        return self.title


class WorkerProfile(models.Model):
    """A flexible worker's profile: what they can do, when and where. Staff see it for follow-up."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="worker_profile")
    person = models.OneToOneField("registry.Person", on_delete=models.PROTECT, related_name="worker_profile")
    region_code = models.CharField("行政区划", max_length=6, db_index=True)
    skills = models.JSONField("技能（工种）", default=list)
    available_weekdays = models.JSONField("可工作日（1为周一）", default=list)
    address = models.CharField("常驻地点", max_length=200)
    latitude = models.FloatField("纬度")
    longitude = models.FloatField("经度")
    radius_km = models.PositiveSmallIntegerField("可接受距离（公里）", default=10)
    hard_to_place = models.JSONField("困难类别", default=list)
    is_seeking = models.BooleanField("正在找活", default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "零工求职者"
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["is_seeking", "latitude"], name="worker_seeking_lat_idx"),
        ]

    def __str__(self) -> str:
        return str(self.person)


class Engagement(models.Model):
    """即时快招: a worker takes a gig, the employer confirms, both confirm completion, both rate."""

    class Status(models.TextChoices):
        TAKEN = "taken", "已接单，待雇主确认"
        CONFIRMED = "confirmed", "雇主已确认，待完工"
        COMPLETED = "completed", "双方确认完工"
        CANCELLED = "cancelled", "已取消"

    gig = models.ForeignKey(Gig, on_delete=models.PROTECT, related_name="engagements")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="engagements")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.TAKEN)
    taken_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    worker_done_at = models.DateTimeField("求职者确认完工", null=True, blank=True)
    employer_done_at = models.DateTimeField("雇主确认完工", null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "接单"
        ordering: ClassVar[list[str]] = ["-taken_at"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["gig", "worker"], condition=~models.Q(status="cancelled"), name="engagement_once_per_worker"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.gig} · {self.worker}"


class Rating(models.Model):
    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="ratings")
    rater = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ratee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ratings_received")
    score = models.PositiveSmallIntegerField("评分")
    comment = models.CharField("评价", max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "评价"
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["engagement", "rater"], name="rating_once_per_side"),
            models.CheckConstraint(condition=models.Q(score__gte=1, score__lte=5), name="rating_score_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.rater} → {self.ratee}: {self.score}"


class Report(models.Model):
    """A report of fraud or abuse against a posting or an account."""

    class Reason(models.TextChoices):
        FRAUD = "fraud", "虚假招聘或诈骗"
        FEE = "fee", "收取费用"
        ABUSE = "abuse", "侮辱骚扰"
        OTHER = "other", "其他"

    class Status(models.TextChoices):
        OPEN = "open", "待处理"
        BLOCKED = "blocked", "已屏蔽账号"
        DISMISSED = "dismissed", "不予处理"

    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    gig = models.ForeignKey(Gig, null=True, blank=True, on_delete=models.PROTECT, related_name="reports")
    target = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reports_against")
    region_code = models.CharField(max_length=6, db_index=True)
    reason = models.CharField("举报类型", max_length=10, choices=Reason.choices)
    detail = models.CharField("举报内容", max_length=500)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "举报"
        ordering: ClassVar[list[str]] = ["-created_at"]

    def __str__(self) -> str:
        return self.get_reason_display()


class Block(models.Model):
    """A blocked account: it may not post or take gigs while the block stands."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="gig_blocks")
    region_code = models.CharField(max_length=6)
    reason = models.CharField("屏蔽理由", max_length=200)
    blocked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    blocked_at = models.DateTimeField(default=timezone.now)
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "屏蔽账号"
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["user"], condition=models.Q(lifted_at__isnull=True), name="one_open_block"),
        ]

    def __str__(self) -> str:
        return str(self.user)


class RightsRequest(models.Model):
    """The payload of a rights-protection case (flexible.rights): unpaid wages, injury or a contract dispute."""

    class Kind(models.TextChoices):
        WAGES = "wages", "拖欠报酬"
        INJURY = "injury", "工作受伤"
        CONTRACT = "contract", "合同（约定）纠纷"

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="rights_request")
    kind = models.CharField("诉求类型", max_length=10, choices=Kind.choices)
    gig = models.ForeignKey(Gig, null=True, blank=True, on_delete=models.PROTECT, related_name="rights_requests")
    engagement = models.ForeignKey(
        Engagement, null=True, blank=True, on_delete=models.PROTECT, related_name="rights_requests"
    )
    respondent_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    respondent_name = models.CharField("被投诉方", max_length=100)
    amount_claimed = MoneyField("涉及金额", null=True, blank=True)
    description = models.TextField("情况说明")
    green_channel = models.BooleanField("绿色通道", default=False)
    legal_aid = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="rights_referrals"
    )
    referred_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField("处理结果", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "维权诉求"

    def __str__(self) -> str:
        return self.get_kind_display()


class EmploymentRegistration(models.Model):
    """The payload of an employment or unemployment registration case."""

    class Kind(models.TextChoices):
        EMPLOYMENT = "employment", "就业登记"
        UNEMPLOYMENT = "unemployment", "失业登记"

    class Basis(models.TextChoices):
        HUKOU = "hukou", "户籍地"
        RESIDENCE = "residence", "常住地"

    class Channel(models.TextChoices):
        ONLINE = "online", "网上办理"
        COUNTER = "counter", "窗口办理"

    class Form(models.TextChoices):
        EMPLOYED = "employed", "单位就业"
        SELF_EMPLOYED = "self_employed", "自主创业"
        FLEXIBLE = "flexible", "灵活就业"

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="employment_registration")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="employment_registrations")
    kind = models.CharField("登记类型", max_length=12, choices=Kind.choices)
    basis = models.CharField("登记地", max_length=10, choices=Basis.choices)
    channel = models.CharField("办理渠道", max_length=8, choices=Channel.choices)
    region_code = models.CharField("登记地行政区划", max_length=6)
    form = models.CharField("就业形式", max_length=16, choices=Form.choices, blank=True)
    employer_name = models.CharField("用人单位或从业内容", max_length=100, blank=True)
    since = models.DateField("就业（失业）日期")
    commitment = models.BooleanField("书面承诺", default=False)
    certificate_number = models.CharField("就业创业证编号", max_length=24, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "就业失业登记"

    def __str__(self) -> str:
        return self.get_kind_display()


class Certificate(models.Model):
    """The electronic 《就业创业证》: one number per person, issued on the first approved registration."""

    person = models.OneToOneField("registry.Person", on_delete=models.PROTECT, related_name="employment_certificate")
    number = models.CharField("证书编号", max_length=24, unique=True)
    region_code = models.CharField("发证地", max_length=6)
    issued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "就业创业证"

    def __str__(self) -> str:
        return self.number


class SubsidyEnrolment(models.Model):
    """The payload of a social-insurance subsidy application (flexible.si_subsidy): applied for once, then claimed
    against period by period."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="si_enrolment")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="si_enrolments")
    region_code = models.CharField("行政区划", max_length=6, db_index=True)
    declared_contribution = MoneyField("最近一个月实际缴费")
    approved_on = models.DateField("首次核定日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "社会保险补贴资格"

    def __str__(self) -> str:
        return str(self.person)


class PaymentBatch(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "待拨付"
        PAID = "paid", "已拨付"

    number = models.CharField("批次号", max_length=30, unique=True)
    region_code = models.CharField("行政区划", max_length=6, db_index=True)
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.OPEN)
    total = MoneyField("合计金额", default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "补贴拨付批次"
        ordering: ClassVar[list[str]] = ["-created_at"]

    def __str__(self) -> str:
        return self.number


class SubsidyClaim(models.Model):
    """One periodic claim: the months covered, what was paid (先缴后补) and proof; the officer's decision fixes the
    months and the amount."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "待审核"
        APPROVED = "approved", "已核定，待拨付"
        REJECTED = "rejected", "不予补贴"
        PAID = "paid", "已拨付"

    enrolment = models.ForeignKey(SubsidyEnrolment, on_delete=models.PROTECT, related_name="claims")
    region_code = models.CharField(max_length=6, db_index=True)
    first_month = models.DateField("起始月份")
    last_month = models.DateField("截止月份")
    contribution = MoneyField("实际缴费合计")
    amount = MoneyField("核定补贴", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    decision_note = models.TextField("核定说明", blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    batch = models.ForeignKey(PaymentBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="claims")

    class Meta:
        verbose_name = verbose_name_plural = "社会保险补贴申领"
        ordering: ClassVar[list[str]] = ["-submitted_at"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=models.Q(contribution__gt=0), name="si_claim_contribution_positive"),
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | models.Q(amount__gte=0), name="si_claim_amount_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(last_month__gte=models.F("first_month")), name="si_claim_months_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_month:%Y-%m}～{self.last_month:%Y-%m}"


class SubsidyMonth(models.Model):
    """One subsidised month of one person. The unique constraint is the rule: the same month is never paid twice,
    whichever claim, enrolment or office it comes through."""

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="si_subsidy_months")
    month = models.DateField("月份")  # the first day of the month
    claim = models.ForeignKey(SubsidyClaim, on_delete=models.PROTECT, related_name="months")
    contribution = MoneyField("当月缴费")
    amount = MoneyField("当月补贴")

    class Meta:
        verbose_name = verbose_name_plural = "已补贴月份"
        ordering: ClassVar[list[str]] = ["month"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["person", "month"], name="si_month_paid_once"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"
