"""Named counters for issuing numbers, safe across processes (a database row lock, not process memory)."""

from django.db import transaction

from chuangye.core.models import IdentifierSequence


def next_value(name: str) -> int:
    """Return the next value of the named sequence (1, 2, 3, …). Gaps are possible if the caller's transaction
    rolls back; duplicates are not."""
    with transaction.atomic():
        IdentifierSequence.objects.get_or_create(name=name)
        seq = IdentifierSequence.objects.select_for_update().get(name=name)
        seq.value += 1
        seq.save(update_fields=["value"])
        return seq.value
