"""The citizen's download of everything held about them (PIPL arts. 44–45); the collecting is in the registry."""

import json
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from chuangye.accounts.access import roles, throttle
from chuangye.accounts.models import Role
from chuangye.registry.portability import my_data_download


@roles(Role.CITIZEN)
@throttle("5/m", key="user", method="GET")
def my_data_json(request: HttpRequest) -> HttpResponse:
    data = my_data_download(user=request.user, request=request)
    body = json.dumps(data, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    name = f"我的个人数据_{timezone.localdate():%Y%m%d}.json"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    response["Cache-Control"] = "no-store"
    return response
