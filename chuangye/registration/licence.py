"""The electronic business licence as a PDF, in Chinese, with a verification code and a QR code to the public
verification page.

The text uses STSong-Light, one of the CJK fonts every PDF reader must provide (Adobe's Asian font set), so the
file carries no font of ours and renders Chinese anywhere; see docs/decisions/0006-licence-pdf.md.
"""

import io

from reportlab.graphics import renderPDF
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from chuangye.core.pdf import FONT, public_url, qr_drawing
from chuangye.core.pii import mask_name
from chuangye.registration.models import Application

RED = HexColor("#b42318")


def verification_url(code: str) -> str:
    return public_url(f"/verify/licence/{code}/")


def render_licence(application: Application) -> bytes:
    business = application.business
    if business is None or not application.licence_code:
        raise ValueError("licence only for an approved establishment")
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(f"营业执照 {business.name}")
    pdf.setStrokeColor(RED)
    pdf.setLineWidth(3)
    pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    pdf.setFillColor(RED)
    pdf.setFont(FONT, 36)
    pdf.drawCentredString(width / 2, height - 42 * mm, "营 业 执 照")
    pdf.setFont(FONT, 12)
    pdf.drawCentredString(width / 2, height - 50 * mm, "（电子版）")
    pdf.setFillColor(HexColor("#1f2933"))
    legal = business.legal_representative
    rows = [
        ("统一社会信用代码", business.credit_code),
        ("名称", business.name),
        ("类型", business.get_kind_display()),
        ("经营者" if business.kind == "individual" else "法定代表人", legal.name if legal else ""),
        ("经营场所" if business.kind == "individual" else "住所", business.address),
        ("经营范围", business.business_scope[:60]),
        ("成立日期", f"{business.registered_on:%Y年%m月%d日}"),
    ]
    y = height - 68 * mm
    for label, value in rows:
        pdf.setFont(FONT, 14)
        pdf.drawString(30 * mm, y, label)
        pdf.drawString(75 * mm, y, str(value))
        y -= 11 * mm
    renderPDF.draw(qr_drawing(verification_url(application.licence_code), 38 * mm), pdf, width - 62 * mm, 28 * mm)
    pdf.setFont(FONT, 10)
    pdf.drawString(width - 66 * mm, 22 * mm, f"核验码：{application.licence_code}")
    pdf.drawString(30 * mm, 22 * mm, "扫描二维码或在平台“执照核验”页面输入核验码，可核验本执照真伪。")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def public_summary(application: Application) -> dict[str, str]:
    """What the public verification page shows: the licence's own public facts, the person's name masked."""
    business = application.business
    if business is None:
        raise ValueError("no business registered by this application")
    legal = business.legal_representative
    return {
        "统一社会信用代码": business.credit_code,
        "名称": business.name,
        "类型": business.get_kind_display(),
        "法定代表人/经营者": mask_name(legal.name) if legal else "",
        "成立日期": f"{business.registered_on:%Y年%m月%d日}",
        "登记状态": business.get_status_display(),
    }
