"""Distances without PostGIS: a bounding box that indexed latitude/longitude columns can answer, then the exact
great-circle distance on the few rows inside it (decision 0015)."""

import math
from dataclasses import dataclass

from chuangye.core.errors import FieldValueError

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE_LAT = math.pi * EARTH_RADIUS_KM / 180
MAX_RADIUS_KM = 100  # the largest search radius
WORKER_MAX_RADIUS_KM = 20  # the largest travel radius a worker profile states; matching looks no further


@dataclass(frozen=True)
class Box:
    min_lat: float
    max_lat: float
    min_lng: float
    max_lng: float


def parse_point(lat: object, lng: object, *, field: str = "place") -> tuple[float, float]:
    """Latitude and longitude as typed or sent by the map picker; China lies well inside these bounds."""
    try:
        latitude, longitude = float(str(lat).strip()), float(str(lng).strip())
    except ValueError:
        raise FieldValueError(field, "位置坐标", "请填写有效的经纬度，例如 30.657, 104.066") from None
    if not (3.0 <= latitude <= 54.0 and 73.0 <= longitude <= 136.0):
        raise FieldValueError(field, "位置坐标", "不在我国境内，请核对经纬度")
    return latitude, longitude


def parse_radius(value: object, *, default: float = 5.0) -> float:
    if value in (None, ""):
        return default
    try:
        radius = float(str(value))
    except ValueError:
        raise FieldValueError("radius", "搜索半径", "请填写公里数，例如 5") from None
    if not 0 < radius <= MAX_RADIUS_KM:
        raise FieldValueError("radius", "搜索半径", f"应在 0 到 {MAX_RADIUS_KM} 公里之间")
    return radius


def bounding_box(lat: float, lng: float, radius_km: float) -> Box:
    """The smallest latitude/longitude rectangle containing every point within ``radius_km`` of the centre."""
    dlat = radius_km / KM_PER_DEGREE_LAT
    cos_lat = max(math.cos(math.radians(lat)), 0.01)
    dlng = radius_km / (KM_PER_DEGREE_LAT * cos_lat)
    return Box(lat - dlat, lat + dlat, lng - dlng, lng + dlng)


def distance_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Haversine great-circle distance."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))
