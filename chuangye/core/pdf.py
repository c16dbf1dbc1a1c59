"""What every PDF of the platform shares: the Chinese font, the QR code drawing and public verification links.

The text font is STSong-Light, one of the CJK fonts every PDF reader must provide (Adobe's Asian font set), so the
files carry no font of ours and render Chinese anywhere (docs/decisions/0007-licence-pdf.md).
"""

from django.conf import settings
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont

FONT = "STSong-Light"
if FONT not in pdfmetrics.getRegisteredFontNames():
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def public_url(path: str) -> str:
    """An absolute link to a public page (what a QR code printed on paper must hold)."""
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}/{path.lstrip('/')}"


def qr_drawing(url: str, size: float) -> Drawing:
    """A square QR code of ``size`` points holding ``url``, ready for ``renderPDF.draw``."""
    widget = QrCodeWidget(url)
    x1, y1, x2, y2 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x2 - x1), 0, 0, size / (y2 - y1), 0, 0])
    drawing.add(widget)
    return drawing
