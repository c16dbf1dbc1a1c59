"""Registry import and export over the API."""

from ninja import Router

router = Router(tags=["人员导入导出"])
