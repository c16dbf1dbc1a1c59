"""Nurturing founders (plan 2): project risk assessments with mentor notes, saved business simulations, their link
to a loan application, programmes with sign-ups, and competitions with stages, judges, scores, awards and honours."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q

from chuangye.core.money import MoneyField


class Assessment(models.Model):
    """A founder's project as described, and the scoring model's grade of it (kept as computed, with its version)."""

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="project_assessments")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    region_code = models.CharField("经营地", max_length=6, db_index=True)
    project_name = models.CharField("项目名称", max_length=60)
    industry = models.CharField("行业", max_length=20)
    site = models.CharField("经营场地", max_length=20)
    location = models.CharField("经营地点", max_length=100, blank=True)
    investment = MoneyField("总投资")
    own_funds = MoneyField("自有资金")
    loan_amount = MoneyField("拟贷款金额")
    loan_term_months = models.PositiveSmallIntegerField("贷款期限（月）", default=0)
    loan_annual_rate = models.DecimalField("贷款年利率（%）", max_digits=6, decimal_places=4, default=0)
    price = MoneyField("预计售价")
    monthly_volume = models.PositiveIntegerField("预计月销量")
    unit_variable_cost = MoneyField("单位变动成本")
    monthly_fixed_cost = MoneyField("月固定成本")
    experience_years = models.PositiveSmallIntegerField("相关经验（年）")
    team_size = models.PositiveSmallIntegerField("团队人数")
    model_version = models.CharField("评分模型版本", max_length=20)
    score = models.PositiveSmallIntegerField("风险分")
    grade = models.CharField("风险等级", max_length=10)
    grade_label = models.CharField("风险等级名称", max_length=10)
    factors = models.JSONField("各项因素", default=list)
    recommendations = models.JSONField("建议", default=list)
    monthly_profit = MoneyField("预计月经营利润")
    monthly_repayment = MoneyField("预计月还款")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "项目风险评估"
        ordering: ClassVar[list[str]] = ["-created_at", "-id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=Q(investment__gt=0), name="cult_assess_investment_positive"),
            models.CheckConstraint(condition=Q(own_funds__gte=0), name="cult_assess_own_not_negative"),
            models.CheckConstraint(condition=Q(loan_amount__gte=0), name="cult_assess_loan_not_negative"),
        ]

    def __str__(self) -> str:
        return self.project_name


class MentorNote(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField("导师意见", max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "导师意见"
        ordering: ClassVar[list[str]] = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:20]


class Simulation(models.Model):
    """A saved scenario of the business simulation: the inputs as entered; results are recomputed from them (the
    simulator is a pure function) and the headline figures kept for lists."""

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="simulations")
    region_code = models.CharField(max_length=6, db_index=True)
    name = models.CharField("方案名称", max_length=40)
    months = models.PositiveSmallIntegerField("模拟月数")
    inputs = models.JSONField("参数")
    break_even_month = models.PositiveSmallIntegerField("盈亏平衡月", null=True, blank=True)
    lowest_cash = MoneyField("最低现金")
    lowest_cash_month = models.PositiveSmallIntegerField("最低现金月")
    final_cash = MoneyField("期末现金")
    stress_lowest_cash = MoneyField("销量下降20%时最低现金")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "商业实战模拟方案"
        ordering: ClassVar[list[str]] = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class LoanAttachment(models.Model):
    """The assessment and simulation a borrower attached to their own loan application (one link per application)."""

    application = models.OneToOneField(
        "loans.LoanApplication", on_delete=models.CASCADE, related_name="cultivation_attachment"
    )
    assessment = models.ForeignKey(Assessment, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    simulation = models.ForeignKey(Simulation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    attached_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    attached_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "贷款申请附带的评估与模拟"

    def __str__(self) -> str:
        return f"贷款申请 {self.application_id} 的附件"


class Programme(models.Model):
    class Kind(models.TextChoices):
        CAMP = "camp", "创业训练营"
        PRACTICE = "practice", "创业实训"
        SUPPORT = "support", "扶持包"

    class Group(models.TextChoices):
        GRADUATE = "graduate", "高校毕业生"
        RETURNING_MIGRANT = "returning_migrant", "返乡创业农民工"
        EMPLOYMENT_DIFFICULTY = "employment_difficulty", "就业困难人员"
        ALL = "all", "各类创业者"

    SUPPORTS: ClassVar[dict[str, str]] = {
        "training": "培训",
        "funds": "资金",
        "site": "场地",
        "staff": "用工",
        "marketing": "营销",
        "mentoring": "项目指导",
    }

    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    title = models.CharField("名称", max_length=60)
    target_group = models.CharField("面向群体", max_length=24, choices=Group.choices)
    region_code = models.CharField("举办地", max_length=6, db_index=True)
    description = models.TextField("内容", max_length=2000)
    supports = models.JSONField("扶持内容", default=list)
    capacity = models.PositiveIntegerField("名额")
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "培育项目"
        ordering: ClassVar[list[str]] = ["-starts_on", "id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="cult_programme_capacity_positive"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="cult_programme_dates"),
        ]

    def __str__(self) -> str:
        return self.title

    def support_labels(self) -> list[str]:
        return [self.SUPPORTS[s] for s in self.supports if s in self.SUPPORTS]


class Enrolment(models.Model):
    class Outcome(models.TextChoices):
        ENROLLED = "enrolled", "已报名"
        COMPLETED = "completed", "已结业"
        STARTED_BUSINESS = "started_business", "已结业并创业"
        WITHDRAWN = "withdrawn", "已退出"

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="enrolments")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="programme_enrolments")
    outcome = models.CharField("结果", max_length=20, choices=Outcome.choices, default=Outcome.ENROLLED)
    note = models.CharField("说明", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "报名"
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["programme", "person"], name="cult_enrolment_once"),
        ]

    def __str__(self) -> str:
        return f"{self.programme_id}:{self.person_id}"


class Level(models.TextChoices):
    NATIONAL = "national", "国家级"
    PROVINCIAL = "provincial", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "县区级"
    SCHOOL = "school", "校级"


HONOUR_LEVELS = (Level.NATIONAL, Level.PROVINCIAL, Level.CITY)  # 设区的市级以上


class Competition(models.Model):
    name = models.CharField("赛事名称", max_length=80)
    level = models.CharField("级别", max_length=12, choices=Level.choices)
    region_code = models.CharField("主办地区", max_length=6, db_index=True)
    organiser = models.CharField("主办单位", max_length=80)
    year = models.PositiveSmallIntegerField("届（年度）")
    description = models.TextField("简介", max_length=2000, blank=True)
    submissions_open = models.BooleanField("接受报名", default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "创业大赛"
        ordering: ClassVar[list[str]] = ["-year", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.year}）"


class Stage(models.Model):
    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="stages")
    order = models.PositiveSmallIntegerField("顺序")
    name = models.CharField("阶段", max_length=20)

    class Meta:
        ordering: ClassVar[list[str]] = ["order"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["competition", "order"], name="cult_stage_order_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField("评分项", max_length=30)
    max_points = models.DecimalField("分值", max_digits=5, decimal_places=1)

    class Meta:
        ordering: ClassVar[list[str]] = ["id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=Q(max_points__gt=0), name="cult_criterion_points_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class Judge(models.Model):
    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="judges")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="judging")

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["competition", "user"], name="cult_judge_once"),
        ]

    def __str__(self) -> str:
        return str(self.user)


class Submission(models.Model):
    competition = models.ForeignKey(Competition, on_delete=models.PROTECT, related_name="submissions")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="competition_entries")
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name="所属单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    project_name = models.CharField("项目名称", max_length=60)
    summary = models.TextField("项目简介", max_length=2000)
    stage = models.ForeignKey(Stage, verbose_name="当前阶段", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "参赛项目"
        ordering: ClassVar[list[str]] = ["id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["competition", "person"], name="cult_submission_once"),
        ]

    def __str__(self) -> str:
        return self.project_name


class Score(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="scores")
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="+")
    judge = models.ForeignKey(Judge, on_delete=models.PROTECT, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField("得分", max_digits=5, decimal_places=1)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["submission", "stage", "judge", "criterion"], name="cult_score_once"),
            models.CheckConstraint(condition=Q(value__gte=0), name="cult_score_not_negative"),
        ]

    def __str__(self) -> str:
        return str(self.value)


class Award(models.Model):
    submission = models.OneToOneField(Submission, on_delete=models.PROTECT, related_name="award")
    title = models.CharField("奖项", max_length=30)
    awarded_on = models.DateField("授奖日期")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "获奖"

    def __str__(self) -> str:
        return self.title


class Honour(models.Model):
    """An honour held by a person; those at city level or above are the fact ``honour_city_level``."""

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="honours")
    title = models.CharField("荣誉称号", max_length=120)
    level = models.CharField("级别", max_length=12, choices=Level.choices)
    awarded_on = models.DateField("授予日期")
    award = models.OneToOneField(Award, null=True, blank=True, on_delete=models.PROTECT, related_name="honour")

    class Meta:
        verbose_name = verbose_name_plural = "荣誉"
        ordering: ClassVar[list[str]] = ["-awarded_on", "id"]

    def __str__(self) -> str:
        return self.title
