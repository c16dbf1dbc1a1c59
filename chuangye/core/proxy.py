"""The client's address behind the reverse proxy.

gunicorn passes the proxy's address as REMOTE_ADDR. Rate limits (django-ratelimit, the API throttles), django-axes
and the audit log all read REMOTE_ADDR, so behind nginx every user would share the proxy's one address. When a
request comes from a trusted proxy (CHUANGYE_FORWARDED_ALLOW_IPS, the same list gunicorn trusts for the scheme),
this middleware puts the address that proxy saw (X-Real-IP, set by deploy/nginx/chuangye.conf) in REMOTE_ADDR.
From anyone else the header is ignored, so a client cannot choose its own address.
"""

import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def _address(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


class ProxyClientAddressMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.trusted = frozenset(settings.FORWARDED_ALLOW_IPS)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        peer = request.META.get("REMOTE_ADDR", "")
        if peer in self.trusted or "*" in self.trusted:
            client = _address(request.META.get("HTTP_X_REAL_IP", ""))
            if client is not None:
                request.META["REMOTE_ADDR"] = client
        return self.get_response(request)
