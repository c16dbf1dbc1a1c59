import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import totp

from chuangye.demo.accounts import USERS, demo_totp_key


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo account (development mode only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: object, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("生产模式下不可用。")
        username = options["username"]
        if username not in {u.username for u in USERS}:
            raise CommandError(f"{username} 不是演示账户")
        code = totp(bytes.fromhex(demo_totp_key(username)), t0=0, step=30, digits=6, drift=0)
        self.stdout.write(f"{code:06d}  （{30 - int(time.time()) % 30} 秒内有效）")
