from django.core.management.base import BaseCommand, CommandParser

from chuangye.core.workdays import seed_calendar_from_library


class Command(BaseCommand):
    help = "Seed the working-day calendar from chinesecalendar (years already present are kept unless --overwrite)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--overwrite", action="store_true", help="replace years that are already present")

    def handle(self, *args: object, **options: object) -> None:
        years = seed_calendar_from_library(overwrite=bool(options["overwrite"]))
        self.stdout.write(f"工作日历：写入 {len(years)} 个年度" + (f"（{years[0]}–{years[-1]}）" if years else ""))
