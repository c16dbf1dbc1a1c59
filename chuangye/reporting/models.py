"""What reporting stores: the monthly snapshot of every KPI per region (what was reported upward), and annual
targets set by a bureau for its own region."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone


class MonthlySnapshot(models.Model):
    """Every KPI of one region for one month, as computed by the monthly job; recomputing replaces it (one row per
    region and month)."""

    region_code = models.CharField("行政区划", max_length=6)
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    # {kpi code: {"value": "123.45" | null, "n": 3}} for the month, and the same for the year to date.
    values = models.JSONField("本月指标")
    year_to_date = models.JSONField("本年累计")
    computed_at = models.DateTimeField("生成时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "月度统计快照"
        ordering: ClassVar[list[str]] = ["-year", "-month", "region_code"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["region_code", "year", "month"], name="reporting_snapshot_once"),
            models.CheckConstraint(
                condition=models.Q(month__gte=1) & models.Q(month__lte=12), name="reporting_snapshot_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region_code} {self.year}年{self.month}月"


class Target(models.Model):
    """A bureau's annual target for one KPI in its region; a newer entry for the same KPI, region and year
    replaces the older one (kept for the record)."""

    kpi_code = models.CharField("指标", max_length=60)
    region_code = models.CharField("行政区划", max_length=6, db_index=True)
    year = models.PositiveSmallIntegerField("年度")
    value = models.DecimalField("目标值", max_digits=20, decimal_places=4)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    set_at = models.DateTimeField("设定时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "年度目标"
        ordering: ClassVar[list[str]] = ["kpi_code", "-set_at", "-id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=models.Q(value__gte=0), name="reporting_target_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.kpi_code}@{self.region_code} {self.year}: {self.value}"
