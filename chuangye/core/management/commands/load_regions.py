from django.core.management.base import BaseCommand

from chuangye.core.regions import load_regions


class Command(BaseCommand):
    help = "Load or refresh the GB/T 2260 division list (idempotent)."

    def handle(self, *args: object, **options: object) -> None:
        count = load_regions()
        self.stdout.write(f"行政区划：{count} 条")
