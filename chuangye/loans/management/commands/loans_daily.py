"""Run every day (cron or a task worker): recognise interest falling due, remind borrowers, notice arrears."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from chuangye.loans.sweeps import loans_daily


class Command(BaseCommand):
    help = "贷款日终处理：到期利息入账、还款提醒、逾期通知（可重复运行）"

    def handle(self, *args: Any, **options: Any) -> None:
        result = loans_daily(on=timezone.localdate())
        self.stdout.write(
            f"利息入账 {result.accrued_loans} 笔贷款；还款提醒 {result.reminders} 条；"
            f"逾期通知 {result.arrears_notices} 条"
        )
