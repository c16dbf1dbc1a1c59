"""python manage.py decide POLICY --facts FILE.json --on YYYY-MM-DD [--region CODE]"""

import json
import sys
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser

from chuangye.core.errors import DomainError, FieldValueError
from chuangye.policies.decide import decide_request


class Command(BaseCommand):
    help = (
        "Decide one policy for the facts in a JSON file and print the decision as JSON. "
        "Exit 0 for any decision, 2 (with a Chinese message on stderr) for bad input. Nothing is stored."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("policy", help="policy code, e.g. loan.individual")
        parser.add_argument("--facts", help="JSON file with the facts ('-' reads standard input)")
        parser.add_argument("--on", help="decision date, YYYY-MM-DD")
        parser.add_argument("--region", default=None, help="6-digit region code (default: national parameters)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            facts = self._read_facts(options["facts"])
            if not options["on"]:
                raise FieldValueError("on", "决定日期", "必填（--on YYYY-MM-DD）")
            body = decide_request(options["policy"], facts, options["on"], options["region"])
        except DomainError as error:
            self._refuse(error)
        self.stdout.write(json.dumps(body, ensure_ascii=False, indent=2))

    def _read_facts(self, path: str | None) -> Any:
        if not path:
            raise FieldValueError("facts", "事实数据文件", "必填（--facts FILE.json）")
        try:
            text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise FieldValueError("facts", "事实数据文件", f"无法读取：{error}") from None
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise FieldValueError("facts", "事实数据文件", f"不是有效的 JSON（第 {error.lineno} 行）") from None

    def _refuse(self, error: DomainError) -> NoReturn:
        lines = [f"错误（字段 {e.field}）：{e.message}" for e in error.errors] or [f"错误：{error.message}"]
        self.stderr.write("\n".join(lines))
        sys.exit(2)
