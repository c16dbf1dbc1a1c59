"""Chinese full-text search that works the same on SQLite and PostgreSQL.

Each searchable row keeps ``search_text``: the jieba search-mode tokens of its text, lower-cased, de-duplicated,
space-separated and padded with a space at both ends. A query is cut with jieba's precise mode; every token must
occur as a whole token in ``search_text`` (``LIKE '% 贷款 %'``), or, for a word jieba cut differently in its
context, all of that word's own search-mode parts must. Results rank by how many query tokens hit the title.
"""

import logging
import re
from collections.abc import Iterable
from typing import Any, TypeVar

import jieba
from django.db.models import Model, Q, QuerySet

jieba.setLogLevel(logging.WARNING)

M = TypeVar("M", bound=Model)
MAX_QUERY = 50
# Function words that carry no meaning for a search: dropped from queries (not from the index).
STOPWORDS = frozenset(
    [
        "的",
        "了",
        "吗",
        "呢",
        "吧",
        "啊",
        "和",
        "与",
        "及",
        "或",
        "是",
        "在",
        "有",
        "我",
        "我们",
        "你",
        "您",
        "怎么",
        "怎样",
        "如何",
        "什么",
        "哪些",
        "哪里",
        "能",
        "可以",
        "要",
        "请问",
    ]
)
_WORD = re.compile(r"\w", re.UNICODE)


def _clean(tokens: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for token in tokens:
        word = token.strip().lower()
        if word and _WORD.search(word):
            seen.setdefault(word, None)
    return list(seen)


def index_text(*parts: str) -> str:
    """The ``search_text`` value for the given title, body and other fields."""
    tokens = _clean(jieba.cut_for_search(" ".join(p for p in parts if p)))
    return f" {' '.join(tokens)} " if tokens else ""


def query_tokens(query: str) -> list[str]:
    """The meaningful tokens of a user's query (precise mode, stopwords and punctuation dropped)."""
    words = _clean(jieba.cut(query.strip()[:MAX_QUERY]))
    kept = [w for w in words if w not in STOPWORDS]
    return kept or words


def _word(token: str, column: str) -> Q:
    return Q(**{f"{column}__contains": f" {token} "})


def token_match(tokens: list[str], *, column: str = "search_text") -> Q:
    """Every query token present as a whole indexed word, or (where jieba cut the text differently in its
    context) all of the token's own search-mode parts present as words."""
    condition = Q()
    for token in tokens:
        parts = [p for p in _clean(jieba.cut_for_search(token)) if p != token]
        alternative = Q()
        for part in parts:
            alternative &= _word(part, column)
        condition &= (_word(token, column) | alternative) if parts else _word(token, column)
    return condition


def search(queryset: QuerySet[M], query: str, *, title: str = "title") -> list[M]:
    """Rows of ``queryset`` matching ``query``, best first (title hits, then recency as the queryset orders)."""
    tokens = query_tokens(query)
    if not tokens:
        return []
    rows = list(queryset.filter(token_match(tokens))[:200])

    def rank(row: Any) -> int:
        heading = str(getattr(row, title, "")).lower()
        return -sum(1 for t in tokens if t in heading)

    return sorted(rows, key=rank)
