"""People known to the platform (registrants), their key-group statuses, and businesses (市场主体).

Personal identifiers are encrypted and found by blind index. A key-group status counts only while certified and
inside its validity dates; ``selectors.active_key_groups`` is the one place that rule is applied.
"""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from pypinyin import Style, lazy_pinyin

from chuangye.core.pii import EncryptedTextField, blind_index, mask_id_number, mask_phone


class Education(models.TextChoices):
    JUNIOR = "junior", "初中及以下"
    SENIOR = "senior", "高中/中专/技校"
    COLLEGE = "college", "大专"
    BACHELOR = "bachelor", "本科"
    MASTER = "master", "硕士研究生"
    DOCTOR = "doctor", "博士研究生"


class Employment(models.TextChoices):
    UNKNOWN = "unknown", "未登记"
    EMPLOYED = "employed", "就业"
    SELF_EMPLOYED = "self_employed", "自主创业"
    FLEXIBLE = "flexible", "灵活就业"
    UNEMPLOYED = "unemployed", "失业"
    STUDENT = "student", "在校学生"
    RETIRED = "retired", "退休"


def pinyin_initials(name: str) -> str:
    return "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")).lower()


class Person(models.Model):
    """One record per person, keyed by resident ID number (unique through its blind index)."""

    class Sex(models.TextChoices):
        MALE = "M", "男"
        FEMALE = "F", "女"

    name = models.CharField("姓名", max_length=50)
    name_initials = models.CharField("姓名拼音首字母", max_length=50, blank=True, db_index=True, editable=False)
    id_number = EncryptedTextField("身份证号", purpose="person.id_number")
    id_number_index = models.CharField(max_length=64, unique=True, editable=False)
    sex = models.CharField("性别", max_length=1, choices=Sex.choices)
    birth_date = models.DateField("出生日期")
    phone = EncryptedTextField("手机号", purpose="person.phone", blank=True)
    phone_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    hukou_region_code = models.CharField("户籍地", max_length=6)
    # The jurisdiction a person belongs to for services is where they usually live (常住地).
    region_code = models.CharField("常住地", max_length=6, db_index=True)
    education = models.CharField("学历", max_length=10, choices=Education.choices, blank=True)
    school = models.CharField("毕业院校", max_length=100, blank=True)
    graduation_date = models.DateField("毕业日期", null=True, blank=True)
    employment = models.CharField("就业状态", max_length=16, choices=Employment.choices, default=Employment.UNKNOWN)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="person"
    )
    # Retention (PIPL art. 47): a hold stops anonymisation while a case, loan or dispute needs the record.
    legal_hold = models.BooleanField("法律保留", default=False)
    anonymised_at = models.DateTimeField("匿名化时间", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "人员"
        ordering: ClassVar[list[str]] = ["id"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["region_code", "name"], name="person_region_name_idx"),
            models.Index(fields=["name", "birth_date"], name="person_name_birth_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        if not self.name_initials and self.name:
            self.name_initials = pinyin_initials(self.name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def set_name(self, name: str) -> None:
        self.name = name
        self.name_initials = pinyin_initials(name)

    def set_id_number(self, number: str) -> None:
        """Store a validated, normalised ID number together with its look-up index."""
        self.id_number = number
        self.id_number_index = blind_index(number, "person.id_number")

    def set_phone(self, phone: str) -> None:
        self.phone = phone
        self.phone_index = blind_index(phone, "person.phone") if phone else ""

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number) if self.id_number else ""

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone) if self.phone else ""


class KeyGroupCategory(models.Model):
    """A key group a person can be certified in. ``fact`` names the policy-engine group it counts as: the ten
    loan groups and 新市民 are national; each province adds its own list of 就业困难人员 categories, all of which
    count as ``employment_difficulty``."""

    code = models.CharField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=60)
    fact = models.CharField("政策口径", max_length=40)
    province_code = models.CharField("适用省份", max_length=2, blank=True, help_text="空为全国")
    default_valid_months = models.PositiveSmallIntegerField("默认有效月数", null=True, blank=True)
    evidence_hint = models.CharField("证明材料", max_length=200, blank=True)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "重点群体类别"
        ordering: ClassVar[list[str]] = ["province_code", "code"]

    def __str__(self) -> str:
        return self.name


class KeyGroupStatus(models.Model):
    """A person's membership of one key group, certified by a case worker against evidence, for a period."""

    class State(models.TextChoices):
        PENDING = "pending", "待认定"
        CERTIFIED = "certified", "已认定"
        REJECTED = "rejected", "不予认定"
        REVOKED = "revoked", "已撤销"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="key_groups")
    category = models.ForeignKey(KeyGroupCategory, on_delete=models.PROTECT, related_name="+")
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.PENDING)
    valid_from = models.DateField("有效期自")
    valid_to = models.DateField("有效期至", null=True, blank=True)
    region_code = models.CharField(max_length=6, db_index=True)  # the person's region when declared: the queue
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    declared_at = models.DateTimeField(default=timezone.now)
    declaration = models.TextField("申报说明", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField("认定意见", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "重点群体身份"
        ordering: ClassVar[list[str]] = ["-declared_at"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                name="key_group_valid_dates",
            ),
            # One open declaration per person and group: a second one waits for the first to be decided.
            models.UniqueConstraint(
                fields=["person", "category"], condition=models.Q(state="pending"), name="key_group_one_pending"
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["state", "region_code", "declared_at"], name="key_group_queue_idx"),
            models.Index(fields=["person", "state"], name="key_group_person_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.category}"


class KeyGroupEvent(models.Model):
    """The history of a status: every move, who made it and why."""

    status = models.ForeignKey(KeyGroupStatus, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    from_state = models.CharField(max_length=10, blank=True)
    to_state = models.CharField(max_length=10)
    note = models.TextField(blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_state}→{self.to_state}"


class ChangeRequest(models.Model):
    """A citizen asks to change a field they may not edit themselves; a case worker approves it with a diff."""

    class State(models.TextChoices):
        PENDING = "pending", "待审核"
        APPROVED = "approved", "已同意"
        REJECTED = "rejected", "不同意"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="change_requests")
    changes = models.JSONField("申请变更", help_text="{field: [old, new]}")
    reason = models.TextField("变更原因")
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.PENDING)
    region_code = models.CharField(max_length=6, db_index=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField("审核意见", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "信息变更申请"
        ordering: ClassVar[list[str]] = ["-requested_at"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["person"], condition=models.Q(state="pending"), name="change_one_pending"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_state_display()}"


class Industry(models.TextChoices):
    """GB/T 4754-2017 sections (门类)."""

    A = "A", "农、林、牧、渔业"
    B = "B", "采矿业"
    C = "C", "制造业"
    D = "D", "电力、热力、燃气及水生产和供应业"
    E = "E", "建筑业"
    F = "F", "批发和零售业"
    G = "G", "交通运输、仓储和邮政业"
    H = "H", "住宿和餐饮业"
    I = "I", "信息传输、软件和信息技术服务业"  # noqa: E741 - the standard's own letter
    J = "J", "金融业"
    K = "K", "房地产业"
    L = "L", "租赁和商务服务业"
    M = "M", "科学研究和技术服务业"
    N = "N", "水利、环境和公共设施管理业"
    O = "O", "居民服务、修理和其他服务业"  # noqa: E741
    P = "P", "教育"
    Q = "Q", "卫生和社会工作"
    R = "R", "文化、体育和娱乐业"
    S = "S", "公共管理、社会保障和社会组织"
    T = "T", "国际组织"


class Business(models.Model):
    """A market entity (市场主体): enterprise, 个体工商户 or farmers' cooperative."""

    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", "企业"
        INDIVIDUAL = "individual", "个体工商户"
        COOPERATIVE = "cooperative", "农民专业合作社"

    class Status(models.TextChoices):
        OPERATING = "operating", "存续"
        SUSPENDED = "suspended", "歇业"
        CANCELLED = "cancelled", "注销"

    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True)
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    legal_representative = models.ForeignKey(
        Person, verbose_name="法定代表人/经营者", null=True, on_delete=models.PROTECT, related_name="represents"
    )
    registered_on = models.DateField("成立日期")
    region_code = models.CharField("登记地", max_length=6, db_index=True)
    address = models.CharField("住所（经营场所）", max_length=200, blank=True)
    business_scope = models.TextField("经营范围", blank=True)
    industry = models.CharField("行业门类", max_length=1, choices=Industry.choices)
    headcount = models.PositiveIntegerField("从业人数", default=0)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPERATING)
    is_small_micro = models.BooleanField("小微企业", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "市场主体"
        ordering: ClassVar[list[str]] = ["id"]

    def __str__(self) -> str:
        return self.name


class Founder(models.Model):
    class Role(models.TextChoices):
        LEGAL_REP = "legal_rep", "法定代表人"
        SHAREHOLDER = "shareholder", "股东"
        PARTNER = "partner", "合伙人"
        OPERATOR = "operator", "经营者"
        MEMBER = "member", "成员"

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="founders")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="founded")
    role = models.CharField("角色", max_length=12, choices=Role.choices)
    share_percent = models.DecimalField("出资比例(%)", max_digits=5, decimal_places=2, null=True, blank=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["business", "person", "role"], name="founder_unique"),
            models.CheckConstraint(
                condition=models.Q(share_percent__isnull=True)
                | (models.Q(share_percent__gte=0) & models.Q(share_percent__lte=100)),
                name="founder_share_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.business} {self.person} {self.get_role_display()}"


class ImportJob(models.Model):
    """One Excel import of registrants: checked row by row, then written whole or not at all.

    The job is the progress record a page polls and a worker could pick up: everything it needs is in the database
    (the uploaded file in ``ImportFile`` until the run ends), nothing in a process's memory.
    """

    class State(models.TextChoices):
        QUEUED = "queued", "等待处理"
        VALIDATING = "validating", "校验中"
        FAILED = "failed", "未通过"
        DONE = "done", "已导入"

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="导入人"
    )
    # The importer's jurisdiction when uploading: who else may see the job (the same prefix rule as people).
    region_code = models.CharField("行政区划", max_length=6, db_index=True)
    file_name = models.CharField("文件名", max_length=200)
    sha256 = models.CharField("文件摘要", max_length=64, db_index=True)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.QUEUED)
    rows_total = models.PositiveIntegerField("总行数", default=0)
    rows_checked = models.PositiveIntegerField("已校验行数", default=0)
    created_count = models.PositiveIntegerField("新增人员", default=0)
    unchanged_count = models.PositiveIntegerField("已存在且一致", default=0)
    differing_count = models.PositiveIntegerField("已存在但不一致", default=0)
    key_groups_created = models.PositiveIntegerField("新增重点群体身份", default=0)
    problem_count = models.PositiveIntegerField("问题数", default=0)
    # [{"row", "column", "message"}], capped: the first problems are enough to fix a file, all of them may not fit.
    problems = models.JSONField("问题", default=list, blank=True)
    warnings = models.JSONField("提示", default=list, blank=True)
    created_at = models.DateTimeField("上传时间", default=timezone.now)
    # Bumped as the run advances; a run that stops bumping for long was killed and may be claimed again.
    progress_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "人员导入任务"
        ordering: ClassVar[list[str]] = ["-created_at", "-id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            # The same file lands once per jurisdiction, even if two uploads of it race each other.
            models.UniqueConstraint(
                fields=["region_code", "sha256"], condition=models.Q(state="done"), name="import_job_file_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_name}（{self.get_state_display()}）"

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def percent(self) -> int:
        return 100 * self.rows_checked // self.rows_total if self.rows_total else 0


class ImportFile(models.Model):
    """The uploaded workbook of a job, encrypted (it holds ID numbers in clear) and deleted when the run ends."""

    job = models.OneToOneField(ImportJob, on_delete=models.CASCADE, related_name="upload")
    content = EncryptedTextField(purpose="import_file.content")  # base64 of the workbook bytes

    def __str__(self) -> str:
        return f"{self.job_id}"
