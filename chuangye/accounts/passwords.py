"""Password rules beyond Django's: character classes for institutional accounts, and expiry."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone


class CharacterClassValidator:
    """At least three of: lower-case letters, upper-case letters, digits, symbols (MLPS 8.1.4.1 a).

    Applied to everyone: citizens' passwords protect the same personal data and subsidies as staff ones, and one
    rule is easier to explain on the sign-up page than two."""

    def validate(self, password: str, user: Any = None) -> None:
        classes = [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
        if sum(classes) < 3:
            raise ValidationError("密码须包含大写字母、小写字母、数字、符号中的至少三类。", code="password_too_simple")

    def get_help_text(self) -> str:
        return "密码至少10位，包含大写字母、小写字母、数字、符号中的至少三类，且不能是常见密码。"


def password_expired(user: Any, now: dt.datetime | None = None) -> bool:
    """Institutional accounts must change their password every PASSWORD_MAX_AGE_DAYS days; never set = expired."""
    if not getattr(user, "is_institutional", False):
        return False
    changed = user.password_changed_at
    if changed is None:
        return True
    age: dt.timedelta = (now or timezone.now()) - changed
    return age > dt.timedelta(days=settings.PASSWORD_MAX_AGE_DAYS)
