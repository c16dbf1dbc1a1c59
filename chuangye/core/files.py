"""Uploaded files: type decided by content (magic bytes), a size limit, random stored names, served as downloads.

An attachment belongs to one object (``object_type``, ``object_id``); whoever serves it must first fetch that object
through the owning app's access layer, so file access is exactly as scoped as the object's.
"""

import hashlib
from typing import Any

from django.core.files.uploadedfile import UploadedFile

from chuangye.core.errors import FieldValueError
from chuangye.core.models import Attachment

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Magic bytes of the types the platform accepts as evidence: scans and photos of documents.
SIGNATURES = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
}


def sniff_type(head: bytes) -> str | None:
    for content_type, prefixes in SIGNATURES.items():
        if head.startswith(prefixes):
            return content_type
    return None


def attachment_create(
    *,
    upload: UploadedFile,
    object_type: str,
    object_id: object,
    region_code: str = "",
    actor: Any = None,
    field: str = "file",
    label: str = "附件",
) -> Attachment:
    """Store an upload after checking its size and its real type; the stored name is random."""
    size = upload.size or 0
    if size == 0:
        raise FieldValueError(field, label, "是空文件")
    if size > MAX_UPLOAD_BYTES:
        raise FieldValueError(field, label, f"不能超过 {MAX_UPLOAD_BYTES // 1024 // 1024} MB")
    upload.seek(0)
    head = upload.read(16)
    content_type = sniff_type(head)
    if content_type is None:
        raise FieldValueError(field, label, "只接受 PDF、PNG 或 JPEG 文件（按文件内容判断，不看扩展名）")
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    attachment = Attachment(
        original_name=(upload.name or "file")[-200:],
        content_type=content_type,
        size=size,
        sha256=digest.hexdigest(),
        object_type=object_type,
        object_id=str(object_id),
        region_code=region_code,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    attachment.file.save("upload", upload, save=False)
    attachment.save()
    return attachment
