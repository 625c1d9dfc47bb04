"""Checking a liaison-group attachment: its size and its type, by name and by content (文件大小与类型校验).

Settings (read with `getattr`, defaults here): `STEWARD_ATTACHMENT_MAX_BYTES` (10 MiB) and
`STEWARD_ATTACHMENT_TYPES`, a list of allowed extensions. The content must carry the signature of its
extension (a renamed .exe is refused as a .pdf).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings

from onestop.errors import field_error

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
#: extension -> (content type, the signatures its content may start with; empty: text, checked as UTF-8)
KNOWN: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    "doc": ("application/msword", (b"\xd0\xcf\x11\xe0",)),
    "xls": ("application/vnd.ms-excel", (b"\xd0\xcf\x11\xe0",)),
    "txt": ("text/plain", ()),
}
DEFAULT_TYPES = tuple(KNOWN)


@dataclass(frozen=True)
class Checked:
    name: str
    content_type: str
    size: int
    sha256: str
    data: bytes


def max_bytes() -> int:
    return int(getattr(settings, "STEWARD_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def allowed_types() -> tuple[str, ...]:
    return tuple(t.lower().lstrip(".") for t in getattr(settings, "STEWARD_ATTACHMENT_TYPES", DEFAULT_TYPES))


def check(name: str, data: bytes) -> Checked:
    """The attachment if its size and type are allowed, else a 400 naming `attachment`."""
    name = PurePath((name or "").replace("\\", "/")).name.strip()[:200]
    limit = max_bytes()
    if len(data) > limit:
        raise field_error("attachment", f"附件超过大小上限（{limit // 1024} KB）。",
                          f"The attachment is larger than the limit of {limit // 1024} KB.", code="too_large")
    if not data:
        raise field_error("attachment", "附件为空。", "The attachment is empty.")
    ext = PurePath(name).suffix.lower().lstrip(".")
    allowed = allowed_types()
    if ext not in allowed or ext not in KNOWN:
        raise field_error("attachment", f"不允许的附件类型，允许：{'、'.join(allowed)}。",
                          f"This type of file is not allowed; allowed: {', '.join(allowed)}.", code="type_not_allowed")
    content_type, signatures = KNOWN[ext]
    if signatures and not data.startswith(signatures):
        raise field_error("attachment", "附件内容与其类型不符。", "The file's content does not match its type.",
                          code="type_not_allowed")
    if not signatures:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            raise field_error("attachment", "文本附件须为 UTF-8 编码。", "A text attachment must be UTF-8.",
                              code="type_not_allowed") from None
    return Checked(name, content_type, len(data), hashlib.sha256(data).hexdigest(), data)


def read_upload(upload) -> tuple[str, bytes]:
    """Name and bytes of an uploaded file, never reading more than one byte past the limit (so `check`,
    called by the action after the visibility check, refuses an oversized file without holding it)."""
    return upload.name or "", upload.read(max_bytes() + 1)
