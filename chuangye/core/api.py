"""Reference data over the API: regions and working days (public: no personal data)."""

import datetime as dt

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from chuangye.core.errors import FieldValueError
from chuangye.core.models import Region
from chuangye.core.regions import validate_region_code
from chuangye.core.workdays import WorkCalendar

router = Router(tags=["参考数据"])


class RegionOut(Schema):
    code: str
    name: str
    full_name: str
    level: str
    parent_code: str | None


class WorkdayOut(Schema):
    start: dt.date
    days: int
    date: dt.date
    provisional: bool


class WorkdayQuery(Schema):
    start: dt.date
    days: int


def _region_out(region: Region) -> RegionOut:
    return RegionOut(
        code=region.code,
        name=region.name,
        full_name=region.full_name,
        level=region.level,
        parent_code=region.parent_id,
    )


@router.get("/regions", response=list[RegionOut], auth=None, summary="下级行政区划（不传 parent 时为省级）")
def list_regions(request: HttpRequest, parent: str | None = None) -> list[RegionOut]:
    if parent:
        validate_region_code(parent, field="parent", label="上级行政区划")
    return [_region_out(r) for r in Region.objects.filter(parent_id=parent or None).order_by("code")]


@router.get("/regions/{code}", response=RegionOut, auth=None, summary="查询行政区划")
def get_region(request: HttpRequest, code: str) -> RegionOut:
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise HttpError(404, "行政区划不存在")
    return _region_out(region)


@router.get("/workdays/add", response=WorkdayOut, auth=None, summary="计算若干个工作日后的日期")
def add_workdays(request: HttpRequest, query: Query[WorkdayQuery]) -> WorkdayOut:
    if not 0 <= query.days <= 366:
        raise FieldValueError("days", "工作日数", "应在 0 到 366 之间")
    result = WorkCalendar().add_workdays(query.start, query.days)
    return WorkdayOut(start=query.start, days=query.days, date=result.date, provisional=result.provisional)
