from django.core.management.base import BaseCommand

from chuangye.cases.sweeps import mark_deadlines


class Command(BaseCommand):
    help = "Flag cases due within one working day and overdue; notify assignees and supervisors once (idempotent)."

    def handle(self, *args: object, **options: object) -> None:
        result = mark_deadlines()
        self.stdout.write(f"即将到期 {result.due_soon} 件，新超期 {result.overdue} 件")
