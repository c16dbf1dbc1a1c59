"""Behind the proxy the client's own address is what rate limits, lockouts and the audit log see; a client cannot
name its own address."""

from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from chuangye.core.proxy import ProxyClientAddressMiddleware


def _seen(remote: str, real_ip: str | None) -> str:
    headers = {"HTTP_X_REAL_IP": real_ip} if real_ip is not None else {}
    request = RequestFactory().get("/", REMOTE_ADDR=remote, **headers)
    seen = {}

    def view(req):
        seen["addr"] = req.META["REMOTE_ADDR"]
        return HttpResponse()

    ProxyClientAddressMiddleware(view)(request)
    return seen["addr"]


@override_settings(FORWARDED_ALLOW_IPS=["10.0.0.5"])
def test_the_trusted_proxy_passes_the_client_address_and_nobody_else_can():
    assert _seen("10.0.0.5", "203.0.113.7") == "203.0.113.7"
    assert _seen("10.0.0.5", "2001:db8::1") == "2001:db8::1"
    assert _seen("10.0.0.5", "not-an-address") == "10.0.0.5"
    assert _seen("10.0.0.5", None) == "10.0.0.5"
    assert _seen("198.51.100.9", "203.0.113.7") == "198.51.100.9"  # a client naming itself is ignored
