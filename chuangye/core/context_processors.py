from typing import Any

from django.conf import settings
from django.http import HttpRequest


def platform(request: HttpRequest) -> dict[str, Any]:
    return {"PLATFORM_NAME": "创业服务平台", "DEMO_MODE": not settings.PRODUCTION}
