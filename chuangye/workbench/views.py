from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from chuangye.accounts.access import roles
from chuangye.accounts.models import INSTITUTIONAL_ROLES
from chuangye.core.models import Region


@roles(*INSTITUTIONAL_ROLES)
def home(request: HttpRequest) -> HttpResponse:
    """Who is signed in and what they can see: their region (staff) or organisation (partners)."""
    scope = Region.objects.filter(code=getattr(request.user, "region_code", "")).first()
    return render(request, "workbench/home.html", {"scope": scope})
