"""Personal data at rest: AES-GCM encrypted columns, an HMAC blind index for look-ups, and masking for display.

Keys come from settings (``PII_KEYS``, ``PII_INDEX_KEY``), never from the database. Each ciphertext records the id
of the key that made it, so keys can be rotated: the first key encrypts, every listed key decrypts. The column's
``purpose`` is bound into the ciphertext as associated data, so a value copied into another column will not
decrypt.
"""

import base64
import functools
import hashlib
import hmac
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

VERSION = "v1"


@functools.cache
def _keyring(spec: str) -> tuple[str, dict[str, AESGCM]]:
    keys: dict[str, AESGCM] = {}
    current = ""
    for item in spec.split(","):
        kid, _, b64 = item.strip().partition(":")
        try:
            raw = base64.b64decode(b64, validate=True)
        except ValueError:
            raw = b""
        if not kid or len(raw) not in (16, 24, 32):
            raise ImproperlyConfigured("CHUANGYE_PII_KEYS: each entry is keyid:base64 of a 16/24/32-byte key")
        keys[kid] = AESGCM(raw)
        current = current or kid
    return current, keys


def _index_key() -> bytes:
    return base64.b64decode(settings.PII_INDEX_KEY)


def encrypt(plaintext: str, purpose: str) -> str:
    current, keys = _keyring(settings.PII_KEYS)
    nonce = os.urandom(12)
    sealed = keys[current].encrypt(nonce, plaintext.encode("utf-8"), purpose.encode("utf-8"))
    return f"{VERSION}${current}${base64.urlsafe_b64encode(nonce + sealed).decode('ascii')}"


def decrypt(token: str, purpose: str) -> str:
    version, kid, payload = token.split("$", 2)
    _, keys = _keyring(settings.PII_KEYS)
    if version != VERSION or kid not in keys:
        raise ValueError(f"cannot decrypt: unknown format or key id {kid!r}")
    blob = base64.urlsafe_b64decode(payload)
    try:
        return keys[kid].decrypt(blob[:12], blob[12:], purpose.encode("utf-8")).decode("utf-8")
    except InvalidTag:
        raise ValueError("cannot decrypt: wrong key or tampered value") from None


def blind_index(value: str, purpose: str) -> str:
    """A keyed hash of an already-normalised value, for equality look-ups without decrypting."""
    message = purpose.encode("utf-8") + b"\x00" + value.encode("utf-8")
    return hmac.new(_index_key(), message, hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """A text column stored encrypted. Equality filters on it cannot work: filter on its blind index."""

    def __init__(self, *args: Any, purpose: str, **kwargs: Any) -> None:
        self.purpose = purpose
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["purpose"] = self.purpose
        return name, path, args, kwargs

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return decrypt(value, self.purpose)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value), self.purpose)


def _mask(value: str, keep_start: int, keep_end: int) -> str:
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[-keep_end:]


def mask_id_number(value: str) -> str:
    """``510104199001011234`` → ``5101**********1234``."""
    return _mask(value, 4, 4)


def mask_phone(value: str) -> str:
    """``13812345678`` → ``138****5678``."""
    return _mask(value, 3, 4)


def mask_bank_account(value: str) -> str:
    """Keep the first four and last four digits of a bank account."""
    return _mask(value.replace(" ", ""), 4, 4)


def mask_name(value: str) -> str:
    """``张三丰`` → ``张**``: the family name only, for public pages."""
    return value[:1] + "*" * (len(value) - 1) if value else value
