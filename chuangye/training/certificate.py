"""The 创业培训合格证书 as a PDF with its serial number and a QR code to the public verification page.

Chinese text uses STSong-Light (a CID font every PDF reader provides), as the business licence does
(docs/decisions/0007-licence-pdf.md), so the file embeds no font.
"""

import io

from reportlab.graphics import renderPDF
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from chuangye.core.pdf import FONT, public_url, qr_drawing
from chuangye.core.pii import mask_name
from chuangye.policies.facts import COURSES
from chuangye.training.models import Certificate

BLUE = HexColor("#1d4e89")


def verification_url(code: str) -> str:
    return public_url(f"/training/verify/{code}/")


def render_certificate(certificate: Certificate) -> bytes:
    klass = certificate.enrolment.training_class
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(f"创业培训合格证书 {certificate.serial}")
    pdf.setStrokeColor(BLUE)
    pdf.setLineWidth(3)
    pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    pdf.setFillColor(BLUE)
    pdf.setFont(FONT, 32)
    pdf.drawCentredString(width / 2, height - 42 * mm, "创业培训合格证书")
    pdf.setFillColor(HexColor("#1f2933"))
    pdf.setFont(FONT, 15)
    body = (
        f"{certificate.person.name}同志于{klass.start_date:%Y年%m月%d日}至{klass.end_date:%Y年%m月%d日}"
        f"参加{klass.institution.organisation.name}举办的"
    )
    pdf.drawString(30 * mm, height - 68 * mm, body)
    pdf.drawString(
        30 * mm, height - 80 * mm, f"{COURSES.get(certificate.course, certificate.course)}培训（{klass.hours}学时），"
    )
    pdf.drawString(30 * mm, height - 92 * mm, "经考核合格，特发此证。")
    rows = [
        ("证书编号", certificate.serial),
        ("出勤率", f"{certificate.attendance_rate * 100:.1f}%"),
        ("发证日期", f"{certificate.issued_on:%Y年%m月%d日}"),
    ]
    y = height - 112 * mm
    for label, value in rows:
        pdf.setFont(FONT, 12)
        pdf.drawString(30 * mm, y, f"{label}：{value}")
        y -= 9 * mm
    renderPDF.draw(qr_drawing(verification_url(certificate.verify_code), 38 * mm), pdf, width - 62 * mm, 28 * mm)
    pdf.setFont(FONT, 10)
    pdf.drawString(width - 66 * mm, 22 * mm, f"核验码：{certificate.verify_code}")
    pdf.drawString(30 * mm, 22 * mm, "扫描二维码或在平台“培训证书核验”页面输入核验码，可核验本证书真伪。")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def public_summary(certificate: Certificate) -> dict[str, str]:
    """What the public verification page shows: the name masked, the course, the date and the institution."""
    klass = certificate.enrolment.training_class
    return {
        "证书编号": certificate.serial,
        "姓名": mask_name(certificate.person.name),
        "培训课程": COURSES.get(certificate.course, certificate.course),
        "培训机构": klass.institution.organisation.name,
        "发证日期": f"{certificate.issued_on:%Y年%m月%d日}",
    }
