"""Incubation carriers (bases, parks), their spaces and equipment, space applications (a case type) and the
incubation contracts they lead to, equipment bookings, the shared-resources board, and annual evaluations."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from chuangye.core.money import MoneyField


class Carrier(models.Model):
    """An incubation base, park, returning-home park or small/micro demonstration base run by an operator."""

    class Kind(models.TextChoices):
        BASE = "base", "创业孵化基地"
        PARK = "park", "创业园区"
        RETURNING = "returning", "返乡入乡创业园"
        SMALL_MICRO = "small_micro", "小微企业创业创新示范基地"

    class Level(models.TextChoices):
        NATIONAL = "national", "国家级示范"
        PROVINCIAL = "provincial", "省级示范"
        CITY = "city", "市级示范"
        NONE = "none", "非示范"

    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    level = models.CharField("示范等级", max_length=12, choices=Level.choices, default=Level.NONE)
    operator = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="carriers", verbose_name="运营机构"
    )
    region_code = models.CharField("所在地", max_length=6, db_index=True)
    address = models.CharField("地址", max_length=200, blank=True)
    government_funded = models.BooleanField("政府投资开发", default=False)
    total_area = models.DecimalField("总面积（平方米）", max_digits=10, decimal_places=2)
    services = models.JSONField("提供的服务", default=list, blank=True)
    description = models.TextField("简介", blank=True)
    staff_count = models.PositiveIntegerField("专职服务人员", default=0)
    mentor_count = models.PositiveIntegerField("创业导师", default=0)
    is_active = models.BooleanField("运营中", default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "孵化载体"
        ordering: ClassVar[list[str]] = ["region_code", "name"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=models.Q(total_area__gt=0), name="carrier_area_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class Space(models.Model):
    class Kind(models.TextChoices):
        DESK = "desk", "工位"
        OFFICE = "office", "独立办公室"
        WORKSHOP = "workshop", "生产车间"

    class Status(models.TextChoices):
        AVAILABLE = "available", "空置可分配"
        OCCUPIED = "occupied", "已分配"
        UNAVAILABLE = "unavailable", "停用"

    carrier = models.ForeignKey(Carrier, on_delete=models.CASCADE, related_name="spaces")
    code = models.CharField("编号", max_length=30)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    area = models.DecimalField("面积（平方米）", max_digits=8, decimal_places=2)
    monthly_rent = MoneyField("月租金（元）", default=0)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.AVAILABLE)

    class Meta:
        verbose_name = verbose_name_plural = "场地"
        ordering: ClassVar[list[str]] = ["carrier", "kind", "code"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["carrier", "code"], name="space_code_per_carrier"),
            models.CheckConstraint(condition=models.Q(area__gt=0), name="space_area_positive"),
            models.CheckConstraint(condition=models.Q(monthly_rent__gte=0), name="space_rent_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.carrier} {self.code}"


class Equipment(models.Model):
    carrier = models.ForeignKey(Carrier, on_delete=models.CASCADE, related_name="equipment")
    name = models.CharField("名称", max_length=100)
    description = models.CharField("说明", max_length=300, blank=True)
    bookable = models.BooleanField("对外开放预约", default=True)
    is_active = models.BooleanField("可用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "共享设备"
        ordering: ClassVar[list[str]] = ["carrier", "name"]

    def __str__(self) -> str:
        return self.name


class SpaceApplication(models.Model):
    """The payload of an ``incubators.space`` case: what the founder asked for and the priority score."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="incubator_application")
    carrier = models.ForeignKey(Carrier, on_delete=models.PROTECT, related_name="applications")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    space_kind = models.CharField("申请场地类型", max_length=10, choices=Space.Kind.choices)
    project_name = models.CharField("项目名称", max_length=100)
    project_summary = models.TextField("项目简介")
    planned_jobs = models.PositiveIntegerField("计划带动就业人数", default=0)
    months_requested = models.PositiveSmallIntegerField("申请孵化期（月）")
    key_groups = models.JSONField("重点群体（提交时）", default=list)
    score = models.IntegerField("优先分", default=0)
    score_breakdown = models.JSONField("计分明细", default=list)
    # Set by the allocation action just before the case moves to "allocated".
    space = models.ForeignKey(Space, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    skip_reason = models.CharField("越位分配理由", max_length=300, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "入驻申请"
        ordering: ClassVar[list[str]] = ["-score", "case__submitted_at"]

    def __str__(self) -> str:
        return f"{self.case} {self.project_name}"

    @property
    def is_key_group(self) -> bool:
        return bool(self.key_groups)


class Contract(models.Model):
    """An incubation agreement for one space: the incubation period, rent (free where the policy applies) and the
    tenant's path through move-in to graduation or early exit."""

    class Status(models.TextChoices):
        SIGNED = "signed", "已签约待入驻"
        IN_INCUBATION = "in_incubation", "在孵"
        GRADUATED = "graduated", "毕业出孵"
        EXITED = "exited", "提前退出"
        CANCELLED = "cancelled", "未入驻解约"

    OPEN = (Status.SIGNED, Status.IN_INCUBATION)

    number = models.CharField("协议编号", max_length=40, unique=True)
    application = models.OneToOneField(SpaceApplication, on_delete=models.PROTECT, related_name="contract")
    carrier = models.ForeignKey(Carrier, on_delete=models.PROTECT, related_name="contracts")
    space = models.ForeignKey(Space, on_delete=models.PROTECT, related_name="contracts")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    tenant_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    key_group = models.BooleanField("重点群体", default=False)
    free_rent = models.BooleanField("免收租金", default=False)
    monthly_rent = MoneyField("月租金（元）", default=0)
    start_date = models.DateField("孵化期自")
    end_date = models.DateField("孵化期至")
    status = models.CharField("状态", max_length=14, choices=Status.choices, default=Status.SIGNED)
    moved_in_on = models.DateField("入驻日期", null=True, blank=True)
    moved_out_on = models.DateField("出孵日期", null=True, blank=True)
    exit_reason = models.CharField("退出原因", max_length=300, blank=True)
    business = models.ForeignKey(
        "registry.Business", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    jobs_created = models.PositiveIntegerField("带动就业人数", default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "入孵协议"
        ordering: ClassVar[list[str]] = ["-created_at"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            # One open contract per space: the database refuses a second allocation of the same space.
            models.UniqueConstraint(
                fields=["space"], condition=models.Q(status__in=["signed", "in_incubation"]), name="one_open_contract"
            ),
            models.CheckConstraint(condition=models.Q(end_date__gt=models.F("start_date")), name="contract_dates"),
            models.CheckConstraint(
                condition=models.Q(free_rent=False) | models.Q(monthly_rent=0), name="free_rent_is_zero"
            ),
        ]

    def __str__(self) -> str:
        return self.number


class Booking(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "已预约"
        CANCELLED = "cancelled", "已取消"

    equipment = models.ForeignKey(Equipment, on_delete=models.CASCADE, related_name="bookings")
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    start = models.DateTimeField("开始")
    end = models.DateTimeField("结束")
    purpose = models.CharField("用途", max_length=200)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.ACTIVE)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "设备预约"
        ordering: ClassVar[list[str]] = ["start"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="booking_end_after_start"),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["equipment", "status", "start"], name="booking_calendar_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.equipment} {self.start:%Y-%m-%d %H:%M}"


class BoardPost(models.Model):
    """The shared-resources board: projects seeking partners and sites on offer (equipment is listed from the
    carriers' bookable equipment)."""

    class Kind(models.TextChoices):
        PROJECT = "project", "项目寻求合作"
        SITE = "site", "场地信息"

    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    title = models.CharField("标题", max_length=100)
    body = models.TextField("内容")
    region_code = models.CharField("地区", max_length=6, db_index=True)
    carrier = models.ForeignKey(Carrier, null=True, blank=True, on_delete=models.CASCADE, related_name="posts")
    contact = models.CharField("联系方式", max_length=100)
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    is_open = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "资源共享信息"
        ordering: ClassVar[list[str]] = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class CarrierEvent(models.Model):
    """A service event held by a carrier (training, matchmaking, roadshow): counted by the quality indicators."""

    carrier = models.ForeignKey(Carrier, on_delete=models.CASCADE, related_name="events")
    title = models.CharField("活动名称", max_length=100)
    held_on = models.DateField("举办日期")
    participants = models.PositiveIntegerField("参加人数", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "创业活动"
        ordering: ClassVar[list[str]] = ["-held_on"]

    def __str__(self) -> str:
        return self.title


class SatisfactionSurvey(models.Model):
    """A tenant's annual satisfaction rating of the carrier (1–5), one per contract and year."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="surveys")
    year = models.PositiveSmallIntegerField("年度")
    rating = models.PositiveSmallIntegerField("总体满意度")
    comment = models.CharField("意见建议", max_length=500, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "满意度问卷"
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["contract", "year"], name="one_survey_per_year"),
            models.CheckConstraint(condition=models.Q(rating__gte=1, rating__lte=5), name="survey_rating_range"),
        ]

    def __str__(self) -> str:
        return f"{self.contract} {self.year}"


class Evaluation(models.Model):
    """An annual evaluation: the indicators as computed on the day, compared with the demonstration criteria in
    force, frozen with the parameters' sources so later changes do not rewrite it."""

    carrier = models.ForeignKey(Carrier, on_delete=models.CASCADE, related_name="evaluations")
    year = models.PositiveSmallIntegerField("年度")
    indicators = models.JSONField("指标")
    meets_criteria = models.BooleanField("达到示范标准")
    conclusion = models.TextField("评价意见")
    evaluated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    evaluated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "年度评价"
        ordering: ClassVar[list[str]] = ["-year"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["carrier", "year"], name="one_evaluation_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.carrier} {self.year}"
