from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chuangye.registry.anonymise import anonymise_people, retention_years


class Command(BaseCommand):
    help = (
        "Anonymise registrants inactive for N years (no legal hold, no active account, no key group in force); "
        "statistics stay intact. Idempotent; --dry-run only counts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--inactive-years",
            type=int,
            default=None,
            help="years without any change (default: REGISTRY_RETENTION_YEARS, or 5)",
        )
        parser.add_argument("--dry-run", action="store_true", help="count the people due, change nothing")

    def handle(self, *args: object, **options: Any) -> None:
        years = options["inactive_years"] if options["inactive_years"] is not None else retention_years()
        if years < 1:
            raise CommandError("--inactive-years 至少为 1 年。")
        result = anonymise_people(years=years, dry_run=options["dry_run"])
        if result.dry_run:
            self.stdout.write(f"试运行：有 {result.count} 人超过 {years} 年无变动，可以匿名化（未做任何修改）。")
        else:
            self.stdout.write(f"已匿名化 {result.count} 人（超过 {years} 年无变动）。")
