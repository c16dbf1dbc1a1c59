from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chuangye.core import backup


class Command(BaseCommand):
    help = (
        "Back up the configured database (SQLite online backup API or pg_dump) and MEDIA_ROOT into an empty "
        "directory, with a manifest of checksums and a fingerprint for the restore drill."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dest", type=Path, help="empty (or new) directory to write the backup into")

    def handle(self, *args: object, **options: Any) -> None:
        dest: Path = options["dest"]
        try:
            manifest = backup.backup(dest)
        except backup.BackupError as error:
            raise CommandError(f"备份失败：{error}", returncode=1) from error
        tables = manifest["fingerprint"]["tables"]
        rows = sum(table["rows"] for table in tables.values())
        self.stdout.write(f"备份完成：{dest}（{manifest['engine']}，{len(tables)} 张表共 {rows} 行，含上传文件）")
