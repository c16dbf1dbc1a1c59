from django.core.management.base import BaseCommand, CommandError

from chuangye.core.audit import verify_chains
from chuangye.core.models import AuditChain


class Command(BaseCommand):
    help = "Check every audit hash chain; exit 1 and list the rows if any was changed or deleted."

    def handle(self, *args: object, **options: object) -> None:
        problems = verify_chains()
        for problem in problems:
            self.stderr.write(str(problem))
        if problems:
            raise CommandError(f"审计日志校验失败：发现 {len(problems)} 处问题", returncode=1)
        self.stdout.write(f"审计日志校验通过：{AuditChain.objects.count()} 条链完整")
