"""Run every day (cron or a task worker): mentors' visit reminders and overdue-question notices. Safe to repeat."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from chuangye.services.actions import overdue_questions_send, visit_reminders_send


class Command(BaseCommand):
    help = "创业服务日终处理：导师走访提醒（3日内到期或已逾期）、咨询超期提醒（可重复运行，不重复提醒）"

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        visits = visit_reminders_send(today=today)
        overdue = overdue_questions_send(today=today)
        self.stdout.write(f"走访提醒 {visits} 条；超期咨询 {overdue} 件")
