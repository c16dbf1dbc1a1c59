from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from chuangye.core import backup


class Command(BaseCommand):
    help = (
        "Restore a backup directory into the configured database and MEDIA_ROOT after checking its checksums; "
        "refuses a database that already has tables unless --replace is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("src", type=Path, help="backup directory written by `manage.py backup`")
        parser.add_argument(
            "--replace", action="store_true", help="overwrite a database that already has tables (destroys its data)"
        )

    def handle(self, *args: object, **options: Any) -> None:
        src: Path = options["src"]
        try:
            manifest = backup.restore(src, replace=options["replace"])
        except backup.BackupError as error:
            raise CommandError(f"恢复失败：{error}", returncode=1) from error
        self.stdout.write(
            f"恢复完成：{src}（{manifest['engine']}，备份时间 {manifest['created_at']}）→ 数据库 "
            f"{settings.DATABASES['default']['NAME']}，上传文件 → {settings.MEDIA_ROOT}。"
            "请运行 `manage.py drill_check` 核对。"
        )
