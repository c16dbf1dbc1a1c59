"""Objects for the route-access walk (chuangye/accounts/tests/test_route_access.py).

``ROUTE_PARAMS`` maps each path parameter this app's routes use (one per route) to, for every persona of the walk
(anonymous, li, zhao, wang_fang, chen_gang, yang_fan, zhou_jing, huang_lei, wu_ting), the set of object keys that
persona may see. ``route_objects(users=..., citizens=...)`` creates those objects by the app's real actions and returns
``{param: {key: obj}}``; ``users`` maps persona names to users, ``citizens`` maps "li", "zhao" (锦江区 510104) and
"wei" (武侯区 510107) to citizen users with a Person each. Pages anyone may open without signing in go in
``PUBLIC_WEB`` (the exact route patterns), public API paths in ``PUBLIC_API_PREFIXES``.

Reporting routes take no path parameters: the region is a query parameter, checked against the user's scope (an
out-of-scope region answers 404; see the app's own tests). So there are no objects to create.
"""

from typing import Any

PUBLIC_WEB: set[str] = {"/reporting/public/"}
PUBLIC_API_PREFIXES: tuple[str, ...] = ("/api/v1/reporting/public",)
ROUTE_PARAMS: dict[str, dict[str, set[str]]] = {}


def route_objects(**cast: Any) -> dict[str, dict[str, Any]]:
    return {}
