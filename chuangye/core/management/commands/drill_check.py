import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chuangye.core import backup


class Command(BaseCommand):
    help = (
        "Check a restored database against its backup: row counts and contents of every table, ledger totals and "
        "balance, subsidy reconciliation, every audit hash chain, every attachment file's size and sha256. "
        "Exit 1 listing every difference."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("src", type=Path, help="the backup directory (its manifest.json holds the fingerprint)")

    def handle(self, *args: object, **options: Any) -> None:
        try:
            manifest = backup.read_manifest(options["src"])
        except (backup.BackupError, json.JSONDecodeError) as error:
            raise CommandError(f"恢复演练失败：无法读取备份清单：{error}", returncode=1) from error
        problems = backup.drill_problems(manifest["fingerprint"])
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"恢复演练失败：恢复的数据库与备份有 {len(problems)} 处不符（见上）", returncode=1)
        tables = manifest["fingerprint"]["tables"]
        self.stdout.write(
            f"恢复演练通过：{len(tables)} 张表行数与内容一致，账务合计一致且平衡，"
            f"{len(manifest['fingerprint']['audit_chains'])} 条审计链完整，附件文件齐全且 sha256 一致。"
        )
