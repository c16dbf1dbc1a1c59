"""Errors that carry a Chinese message for the user and, where it applies, the field at fault.

Domain code raises these; the web and the API turn them into a form error or the one JSON error shape
(``{"code", "message", "errors": [{"field", "message"}]}``), never a 500.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


@dataclass
class DomainError(Exception):
    """A refusal the user can act on. ``code`` is stable and English; ``message`` is Chinese."""

    message: str
    code: str = "invalid"
    errors: list[FieldError] = field(default_factory=list)
    status: int = 422

    def __str__(self) -> str:
        return self.message


class FieldValueError(DomainError):
    """A bad value for one named field."""

    def __init__(self, field_name: str, label: str, problem: str) -> None:
        message = f"「{label}」{problem}"
        super().__init__(message=message, code="invalid_field", errors=[FieldError(field_name, message)])
        self.field_name = field_name


class NotFoundError(DomainError):
    """Missing *or* out of the caller's scope: the two are never told apart."""

    def __init__(self, message: str = "记录不存在或无权访问") -> None:
        super().__init__(message=message, code="not_found", status=404)


class ConflictError(DomainError):
    def __init__(self, message: str) -> None:
        super().__init__(message=message, code="conflict", status=409)
