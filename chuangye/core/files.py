"""Uploaded files: type decided by content (magic bytes), a size limit, random stored names, served as downloads.

An attachment belongs to one object (``object_type``, ``object_id``); whoever serves it must first fetch that object
through the owning app's access layer, so file access is exactly as scoped as the object's.
"""

import hashlib
from collections.abc import Callable, Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.http import Http404

from chuangye.core.errors import FieldValueError
from chuangye.core.models import Attachment

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Files one form may carry; with MAX_UPLOAD_BYTES this sets the proxy's body limit (deploy/nginx/chuangye.conf).
MAX_FILES_PER_FORM = 10
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


def check_file_count(files: Sequence[UploadedFile], *, field: str, label: str) -> list[UploadedFile]:
    """Refuse more files than one form may carry (rather than keep the first ten without saying so)."""
    files = list(files)
    if len(files) > MAX_FILES_PER_FORM:
        raise FieldValueError(field, label, f"一次最多上传 {MAX_FILES_PER_FORM} 个文件，本次选择了 {len(files)} 个")
    return files


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


# Who may see an attachment is decided by the object it belongs to. Each app that owns attachments registers a
# function user → queryset of its objects that user may see (in its AppConfig.ready).
OWNERS: dict[str, Callable[[Any], QuerySet[Any]]] = {}


def register_owner(object_type: str, visible_to: Callable[[Any], QuerySet[Any]]) -> None:
    OWNERS[object_type] = visible_to


def access_attachment_by_id(user: Any, attachment_id: object) -> Attachment:
    """An attachment is visible exactly when the object it belongs to is; otherwise the same 404 as missing."""
    try:
        attachment = Attachment.objects.get(pk=int(str(attachment_id)))
    except (Attachment.DoesNotExist, ValueError):
        raise Http404("记录不存在或无权访问") from None
    finder = OWNERS.get(attachment.object_type)
    if finder is None or not finder(user).filter(pk=attachment.object_id).exists():
        raise Http404("记录不存在或无权访问")
    return attachment


def attachments_of(object_type: str, object_id: object) -> QuerySet[Attachment]:
    return Attachment.objects.filter(object_type=object_type, object_id=str(object_id)).order_by("uploaded_at")
