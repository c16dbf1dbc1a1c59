"""Entrepreneurship training (马兰花计划): listed institutions and trainers, classes (a case type), enrolment,
attendance, certificates, subsidy claims, trainer competitions.

Courses are the policy vocabulary's codes (``policies.facts.COURSES``); their hours and subsidy amounts are
parameters per region (``policies/parameters/training.yaml`` and ``subsidies.yaml``).
"""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from chuangye.core.money import MoneyField
from chuangye.policies.facts import COURSES

COURSE_CHOICES = list(COURSES.items())


class Institution(models.Model):
    """A training institution on the bureau's published list (目录清单管理), valid for a period."""

    organisation = models.OneToOneField(
        "accounts.Organisation", verbose_name="机构", on_delete=models.PROTECT, related_name="training_listing"
    )
    region_code = models.CharField("所在行政区划", max_length=6, db_index=True)
    courses = models.JSONField("可承办课程", default=list)
    listed_from = models.DateField("列入目录日期")
    listed_until = models.DateField("目录有效期至")
    document = models.CharField("公布文号", max_length=100)
    listed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "定点培训机构"
        ordering: ClassVar[list[str]] = ["region_code", "organisation__name"]

    def __str__(self) -> str:
        return self.organisation.name

    def listed_on(self, day: object) -> bool:
        return self.listed_from <= day <= self.listed_until  # type: ignore[operator]


class Trainer(models.Model):
    class Level(models.TextChoices):
        TRAINER = "trainer", "创业培训讲师"
        SENIOR = "senior", "高级讲师"
        MASTER = "master", "培训师（讲师的培训师）"

    name = models.CharField("姓名", max_length=50)
    institution = models.ForeignKey(
        Institution, verbose_name="所属机构", on_delete=models.PROTECT, related_name="trainers"
    )
    level = models.CharField("资质等级", max_length=10, choices=Level.choices)
    certificate_number = models.CharField("讲师资格证书编号", max_length=40, unique=True)
    courses = models.JSONField("可讲授课程", default=list)
    valid_until = models.DateField("资格有效期至")
    region_code = models.CharField(max_length=6, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "创业培训讲师"
        ordering: ClassVar[list[str]] = ["name"]

    def __str__(self) -> str:
        return self.name

    def may_teach(self, course: str, day: object) -> bool:
        return course in self.courses and day <= self.valid_until  # type: ignore[operator]


class TrainingClass(models.Model):
    """A class an institution applies to open; its case (``training.class``) carries the approval."""

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="training_class")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="classes")
    course = models.CharField("课程", max_length=8, choices=COURSE_CHOICES)
    title = models.CharField("班级名称", max_length=100)
    region_code = models.CharField("开班地", max_length=6, db_index=True)
    start_date = models.DateField("开班日期")
    end_date = models.DateField("结业日期")
    online = models.BooleanField("线上培训", default=False)
    venue = models.CharField("培训地点", max_length=200, blank=True)
    capacity = models.PositiveIntegerField("计划人数")
    hours = models.PositiveIntegerField("总学时")
    trainers = models.ManyToManyField(Trainer, verbose_name="授课讲师", related_name="classes")
    approved_at = models.DateTimeField("批准开班时间", null=True, blank=True)
    completed_at = models.DateTimeField("结业时间", null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "培训班"
        ordering: ClassVar[list[str]] = ["-start_date", "-id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=models.Q(end_date__gte=models.F("start_date")), name="class_dates"),
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="class_capacity_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def course_label(self) -> str:
        return COURSES.get(self.course, self.course)


class Session(models.Model):
    """One session (课次) of a class. ``qr_nonce`` changes when the code is renewed, voiding the old ones."""

    training_class = models.ForeignKey(TrainingClass, on_delete=models.CASCADE, related_name="sessions")
    number = models.PositiveSmallIntegerField("课次")
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    topic = models.CharField("内容", max_length=100, blank=True)
    qr_nonce = models.CharField(max_length=16, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["training_class", "number"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["training_class", "number"], name="session_number_unique"),
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="session_times"),
        ]

    def __str__(self) -> str:
        return f"{self.training_class} 第{self.number}次课"


class Enrolment(models.Model):
    class Status(models.TextChoices):
        ENROLLED = "enrolled", "已报名"
        WAITING = "waiting", "候补"
        CANCELLED = "cancelled", "已取消"

    class Source(models.TextChoices):
        PORTAL = "portal", "本人网上报名"
        ROSTER = "roster", "机构导入花名册"

    training_class = models.ForeignKey(TrainingClass, on_delete=models.PROTECT, related_name="enrolments")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="training_enrolments")
    status = models.CharField("状态", max_length=10, choices=Status.choices)
    source = models.CharField("报名方式", max_length=10, choices=Source.choices)
    enrolled_at = models.DateTimeField(default=timezone.now)
    # The policy engine's view at enrolment: would a certificate for this course be subsidised?
    subsidy_expected = models.BooleanField("预计可享受补贴", default=True)
    subsidy_note = models.CharField("补贴说明", max_length=200, blank=True)
    assessment_passed = models.BooleanField("考核合格", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "报名"
        ordering: ClassVar[list[str]] = ["enrolled_at", "id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["training_class", "person"], name="enrolment_once_per_class"),
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.training_class}"


class Attendance(models.Model):
    class Method(models.TextChoices):
        STAFF = "staff", "机构录入"
        QR = "qr", "扫码签到"

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendances")
    method = models.CharField("签到方式", max_length=6, choices=Method.choices)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            # One attendance per trainee and session: a reused code cannot count twice.
            models.UniqueConstraint(fields=["session", "enrolment"], name="attendance_once"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} {self.session}"


class Certificate(models.Model):
    """创业培训合格证书: attendance at or above the threshold and a passed assessment."""

    enrolment = models.OneToOneField(Enrolment, on_delete=models.PROTECT, related_name="certificate")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="training_certificates")
    course = models.CharField("课程", max_length=8, choices=COURSE_CHOICES)
    serial = models.CharField("证书编号", max_length=40, unique=True)
    verify_code = models.CharField("核验码", max_length=16, unique=True)
    issued_on = models.DateField("发证日期")
    attendance_rate = models.DecimalField("出勤率", max_digits=5, decimal_places=4)
    region_code = models.CharField(max_length=6, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "创业培训合格证书"
        ordering: ClassVar[list[str]] = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return self.serial


class Claim(models.Model):
    """An institution's subsidy claim for one class: 公示 (public notice) before the bureau approves payment."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", "已申报，待审核"
        NOTICE = "notice", "公示中"
        APPROVED = "approved", "已核准拨付"
        REFUSED = "refused", "不予补贴"

    number = models.CharField("申报编号", max_length=40, unique=True)
    training_class = models.ForeignKey(TrainingClass, on_delete=models.PROTECT, related_name="claims")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="claims")
    region_code = models.CharField(max_length=6, db_index=True)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.SUBMITTED)
    total = MoneyField("申报金额")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    notice_from = models.DateField("公示开始", null=True, blank=True)
    notice_until = models.DateField("公示截止", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField("审核意见", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "创业培训补贴申报"
        ordering: ClassVar[list[str]] = ["-submitted_at"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["training_class"], condition=~models.Q(state="refused"), name="claim_once_per_class"
            ),
        ]

    def __str__(self) -> str:
        return self.number


class ClaimLine(models.Model):
    """One trainee on a claim. A person and course is claimed or paid at most once, whatever the institution or
    region: the database refuses a second claimed/paid line (``claim_line_person_course_once``)."""

    class Status(models.TextChoices):
        CLAIMED = "claimed", "申报中"
        PAID = "paid", "已拨付"
        REJECTED = "rejected", "不予补贴"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="lines")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="claim_lines")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="training_claim_lines")
    course = models.CharField("课程", max_length=8, choices=COURSE_CHOICES)
    status = models.CharField("状态", max_length=10, choices=Status.choices)
    amount = MoneyField("补贴金额")
    reason = models.CharField("说明", max_length=300, blank=True)
    decision = models.JSONField("政策判断", default=dict)

    class Meta:
        ordering: ClassVar[list[str]] = ["id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["person", "course"],
                condition=models.Q(status__in=["claimed", "paid"]),
                name="claim_line_person_course_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.claim} {self.person_id} {self.course}"


# Trainer competitions (讲师大赛) --------------------------------------------------------------------------------


class Competition(models.Model):
    class State(models.TextChoices):
        OPEN = "open", "评审中"
        PUBLISHED = "published", "结果已公布"

    title = models.CharField("赛事名称", max_length=100)
    region_code = models.CharField("主办地", max_length=6, db_index=True)
    held_on = models.DateField("比赛日期")
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.OPEN)
    rubric = models.JSONField("评分细则", default=list, help_text='[{"item": "...", "max": 30}]')
    judges = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name="评委", related_name="judged_competitions")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "创业培训讲师大赛"
        ordering: ClassVar[list[str]] = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title


class Track(models.Model):
    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="tracks")
    name = models.CharField("赛道", max_length=50)

    class Meta:
        ordering: ClassVar[list[str]] = ["id"]

    def __str__(self) -> str:
        return self.name


class Entrant(models.Model):
    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="entrants")
    trainer = models.ForeignKey(Trainer, on_delete=models.PROTECT, related_name="entries")
    final_score = models.DecimalField("最终得分", max_digits=6, decimal_places=2, null=True, blank=True)
    rank = models.PositiveSmallIntegerField("名次", null=True, blank=True)
    award = models.CharField("奖项", max_length=30, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["track", "rank", "id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["track", "trainer"], name="entrant_once_per_track"),
        ]

    def __str__(self) -> str:
        return f"{self.trainer} @ {self.track}"


class Score(models.Model):
    entrant = models.ForeignKey(Entrant, on_delete=models.CASCADE, related_name="scores")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    items = models.JSONField("分项得分")
    total = models.DecimalField("总分", max_digits=6, decimal_places=2)
    scored_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["entrant", "judge"], name="score_once_per_judge"),
        ]

    def __str__(self) -> str:
        return f"{self.entrant} {self.total}"
