from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from chuangye.accounts.access import public, roles
from chuangye.accounts.models import Role

# The eight plans of 人社部发〔2022〕81号, as the portal introduces them.
PLANS = [
    ("创业环境优化", "市场主体登记当场办结、一次办结、限时办结，异地可办。"),
    ("创业主体培育", "创业训练营、项目风险评估、商业实战模拟和创业大赛。"),
    ("创业服务护航", "政策咨询、创业导师上门服务、招聘用工对接。"),
    ("创业培训赋能", "“马兰花”创业培训：创办、改善、扩大你的企业，符合条件的给予补贴。"),
    ("创业政策扶持", "创业担保贷款全程网办、财政贴息、免除反担保。"),
    ("金融产品助力", "普惠小微贷款、首贷、信用贷和中长期贷款产品推荐。"),
    ("创业载体筑巢", "政府投资的孵化基地、创业园区优先向重点群体免费提供场地。"),
    ("灵活就业支持", "常住地就业登记、零工市场、维权绿色通道和社会保险补贴。"),
]


@public
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {"plans": PLANS})


@roles(Role.CITIZEN)
def me(request: HttpRequest) -> HttpResponse:
    """The citizen's own page: who the platform thinks they are (masked), and their services."""
    user: Any = request.user
    person = getattr(user, "person", None)
    context: dict[str, Any] = {"person": person}
    if person is not None:
        from chuangye.portal.profile import my_statuses

        context["statuses"] = my_statuses(person)
        context["changes"] = person.change_requests.all()[:5]
        context["founded"] = person.founded.select_related("business")
    return render(request, "portal/me.html", context)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        # An API address no route matches (e.g. a letter where a route wants a number, `{int:loan_id}`) is refused
        # in the API's one error shape, never with the site's HTML page (ADR 0017).
        body = {"code": "not_found", "message": "记录不存在或无权访问", "errors": []}
        return JsonResponse(body, status=404, json_dumps_params={"ensure_ascii": False})
    return render(request, "errors/404.html", status=404)
