from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from chuangye.core.models import Region


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    scope = Region.objects.filter(code=getattr(user, "region_code", "")).first()
    return render(request, "workbench/home.html", {"scope": scope})
