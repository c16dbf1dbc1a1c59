"""The one API object: every app's router, and one JSON error shape for every refusal.

Errors look like ``{"code": "invalid_field", "message": "「身份证号」校验位不正确", "errors": [{"field", "message"}]}``.
"""

import re
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.renderers import JSONRenderer
from ninja.throttling import AnonRateThrottle, AuthRateThrottle

from chuangye.accounts.api import API_AUTH
from chuangye.accounts.api import router as accounts_router
from chuangye.cases.api import router as cases_router
from chuangye.core.api import router as core_router
from chuangye.core.errors import DomainError
from chuangye.core.labels import label_for
from chuangye.cultivation.api import router as cultivation_router
from chuangye.flexible.api import router as flexible_router
from chuangye.incubators.api import router as incubators_router
from chuangye.jobs.api import router as jobs_router
from chuangye.loans.api import router as loans_router
from chuangye.policies.api import router as policies_router
from chuangye.registry.api import router as registry_router
from chuangye.registry.api_io import router as registry_io_router
from chuangye.reporting.api import router as reporting_router
from chuangye.services.api import router as services_router
from chuangye.training.api import router as training_router


class ChineseJSONRenderer(JSONRenderer):
    """JSON with Chinese text as UTF-8 rather than \\u escapes, so partners' logs stay readable."""

    json_dumps_params = {"ensure_ascii": False}  # noqa: RUF012 - django-ninja reads this class attribute


class FieldErrorOut(Schema):
    field: str
    message: str


# The one shape of every refusal (a comment, not a docstring: docstrings end up in the public Chinese document).
class ErrorOut(Schema):
    code: str
    message: str
    errors: list[FieldErrorOut]


# What each refusal means, documented once for every operation rather than on each endpoint.
_REFUSALS = {
    400: "请求无法处理",
    401: "未登录或接口令牌无效",
    403: "无权执行此操作（角色或令牌权限不足）",
    404: "记录不存在或不在管辖范围内",
    409: "与当前状态冲突（如重复提交、版本已变）",
    422: "字段校验失败，errors 列出每个字段的中文说明",
    429: "请求过于频繁",
}


class ChuangyeAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document lists the shared error responses on every operation (ADR 0017)."""

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["ErrorOut"] = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(components["ErrorOut"].pop("$defs", {}))
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, description in _REFUSALS.items():
                    if status == 401 and not operation.get("security"):
                        continue  # public operations never ask who is calling
                    responses.setdefault(status, {"description": description, "content": error})
        return schema


api = ChuangyeAPI(
    title="创业服务平台 API",
    version="1",
    description="重点群体创业推进行动（人社部发〔2022〕81号）的服务接口。所有错误返回 code、message 与字段错误列表。",
    urls_namespace="api",
    renderer=ChineseJSONRenderer(),
    # Deny by default: every route needs a token or a verified session unless it says auth=None (public).
    auth=API_AUTH,
    throttle=[AnonRateThrottle("60/m"), AuthRateThrottle("600/m")],
)
api.add_router("/", core_router)
api.add_router("/", cases_router)
api.add_router("/", accounts_router)
api.add_router("/policies", policies_router)
api.add_router("/", registry_router)
api.add_router("/", registry_io_router)
api.add_router("/", loans_router)
api.add_router("/training", training_router)
api.add_router("/cultivation", cultivation_router)
api.add_router("/services", services_router)
api.add_router("/incubators", incubators_router)
api.add_router("/flexible", flexible_router)
api.add_router("/reporting", reporting_router)
api.add_router("/jobs", jobs_router)

_PYDANTIC_MESSAGES = {
    "missing": "必填",
    "string_type": "应为文本",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "float_parsing": "应为数字",
    "decimal_parsing": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "date_from_datetime_parsing": "应为日期，格式 YYYY-MM-DD",
    "date_parsing": "应为日期，格式 YYYY-MM-DD",
    "datetime_parsing": "应为时间，格式 YYYY-MM-DDTHH:MM:SS",
    "json_invalid": "不是有效的 JSON",
    "extra_forbidden": "是未知字段",
    "literal_error": "取值不在允许范围内",
    "enum": "取值不在允许范围内",
    "too_long": "过长",
    "string_too_long": "过长",
    "string_too_short": "过短",
}


def error_body(code: str, message: str, errors: list[dict[str, str]] | None = None) -> dict[str, Any]:
    return {"code": code, "message": message, "errors": errors or []}


def _field_name(loc: list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "cookie", "form")]
    # django-ninja nests a schema parameter under its argument name; drop that wrapper.
    if len(parts) > 1 and parts[0] in ("payload", "query", "data", "filters"):
        parts = parts[1:]
    return ".".join(parts) or "request"


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = []
    for err in exc.errors:
        field = _field_name(list(err.get("loc", [])))
        problem = _PYDANTIC_MESSAGES.get(str(err.get("type", "")), "格式不正确")
        errors.append({"field": field, "message": f"「{label_for(field)}」{problem}"})
    message = errors[0]["message"] if len(errors) == 1 else f"请求有 {len(errors)} 处错误"
    return api.create_response(request, error_body("invalid_request", message, errors), status=422)


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    errors = [{"field": e.field, "message": e.message} for e in exc.errors]
    return api.create_response(request, error_body(exc.code, exc.message, errors), status=exc.status)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, error_body("not_found", "记录不存在或无权访问"), status=404)


@api.exception_handler(PermissionDenied)
def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, error_body("forbidden", "无权执行此操作"), status=403)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, error_body("unauthenticated", "请先登录或提供有效的接口令牌"), status=401)


@api.exception_handler(Throttled)
def on_throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    return api.create_response(request, error_body("rate_limited", "请求过于频繁，请稍后再试。"), status=429)


_CHINESE = re.compile(r"[\u4e00-\u9fff]")
_HTTP_ERROR_MESSAGES = {
    400: "请求无法解析：请求体应为有效的 JSON（或表单），编码为 UTF-8。",
    401: "请先登录或提供有效的接口令牌",
    403: "无权执行此操作",
    404: "记录不存在或无权访问",
    429: "请求过于频繁，请稍后再试。",
}


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    codes = {
        400: "bad_request",
        401: "unauthenticated",
        403: "forbidden",
        404: "not_found",
        429: "rate_limited",
    }
    code = codes.get(exc.status_code, "error")
    message = str(exc.message)
    if not _CHINESE.search(message):
        # django-ninja's own refusals (e.g. "Cannot parse request body") are English; users read Chinese.
        message = _HTTP_ERROR_MESSAGES.get(exc.status_code, "请求无法处理。")
    return api.create_response(request, error_body(code, message), status=exc.status_code)
