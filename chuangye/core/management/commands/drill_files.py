import io
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError, CommandParser

from chuangye.core.files import attachment_create
from chuangye.core.models import Attachment

OBJECT_TYPE = "drill"


def _pdf(number: int) -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, invariant=1)
    page.drawString(72, 720, f"chuangye restore drill sample {number}")
    page.save()
    return buffer.getvalue()


class Command(BaseCommand):
    help = (
        "Attach sample PDF files (object type 'drill', visible to nobody) so that the restore drill has uploaded "
        "files to carry over and check; idempotent; refused in production."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=3)

    def handle(self, *args: object, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("生产模式下不能添加演练样例文件。")
        created = 0
        for number in range(1, options["count"] + 1):
            if Attachment.objects.filter(object_type=OBJECT_TYPE, object_id=str(number)).exists():
                continue
            upload = SimpleUploadedFile(f"演练样例{number}.pdf", _pdf(number), content_type="application/pdf")
            attachment_create(upload=upload, object_type=OBJECT_TYPE, object_id=number, label="演练样例")
            created += 1
        self.stdout.write(f"演练样例文件：新增 {created} 个。")
