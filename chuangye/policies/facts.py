"""The facts vocabulary: every field a policy may read, its Chinese label, type, limits and default.

Facts arrive as JSON (dates ISO, money as decimal strings) and are checked here once; an unknown field, a wrong
type, an impossible date or negative money is refused with a ``FieldValueError`` naming ``facts.<field>``.

Missing facts are allowed: a criterion that needs a missing fact fails with the reason "未提供…". A few facts
that describe something *adverse* (an overdue loan, arrears, loans already taken) default to the harmless value,
and the trace says so, so that a calculator does not demand a full file before answering.
"""

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

from chuangye.core.errors import FieldValueError
from chuangye.core.money import parse_money

DATE, BOOL, INT, MONEY, RATE, CHOICE, SET, PARTNERS = (
    "date",
    "bool",
    "int",
    "money",
    "rate",
    "choice",
    "set",
    "partners",
)

KEY_GROUPS: dict[str, str] = {
    "registered_unemployed": "城镇登记失业人员",
    "employment_difficulty": "就业困难人员",
    "veteran": "退役军人",
    "released_prisoner": "刑满释放人员",
    "graduate": "高校毕业生",
    "overcapacity_worker": "化解过剩产能企业职工和失业人员",
    "returning_migrant": "返乡创业农民工",
    "online_merchant": "网络商户",
    "poverty_alleviated": "脱贫人口",
    "rural_self_employed": "农村自主创业农民",
    "new_citizen": "新市民",
}

COURSES: dict[str, str] = {
    "GYB": "产生你的企业想法（GYB）",
    "SYB": "创办你的企业（SYB）",
    "IYB": "改善你的企业（IYB）",
    "EYB": "扩大你的企业（EYB）",
    "NET": "网络创业培训",
    "SIM": "创业模拟实训",
    "CAMP": "创业训练营",
}

SEXES: dict[str, str] = {"M": "男", "F": "女"}

EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)
RATE_PLACES = 6  # annual rates carry at most 6 decimals as a fraction (0.0001 %)
MAX_PARTNERS = 50


@dataclass(frozen=True)
class FactSpec:
    name: str
    label: str
    kind: str
    default: Any = None
    choices: Mapping[str, str] | None = None
    minimum: int = 0
    maximum: int = 10_000_000
    allow_zero: bool = True  # money only


def _spec(*args: Any, **kwargs: Any) -> FactSpec:
    return FactSpec(*args, **kwargs)


_SPECS = [
    _spec("birth_date", "出生日期", DATE),
    _spec("sex", "性别", CHOICE, choices=SEXES),
    _spec("key_groups", "重点群体类别", SET, default=frozenset(), choices=KEY_GROUPS),
    _spec("graduation_date", "毕业日期", DATE),
    _spec("employed", "是否已就业", BOOL),
    _spec("flexible_employment_registered", "已办理灵活就业登记", BOOL),
    _spec("prior_guaranteed_loans", "此前获得创业担保贷款次数", INT, default=0, maximum=99),
    _spec("has_overdue_guaranteed_loan", "有逾期未还的创业担保贷款", BOOL, default=False),
    _spec("has_disallowed_debt", "有规定以外的其他贷款", BOOL, default=False),
    _spec("requested_amount", "申请贷款金额", MONEY, allow_zero=False),
    _spec("honour_city_level", "获得设区的市级以上荣誉称号", BOOL, default=False),
    _spec("recommended_by_demonstration_incubator", "经创业孵化示范载体推荐", BOOL, default=False),
    _spec("bank_rated_creditworthy", "经办银行评定为信用良好", BOOL, default=False),
    _spec("second_time_founder_good_record", "诚信经营的二次创业者", BOOL, default=False),
    _spec("business_started_on", "创业（登记注册）日期", DATE),
    _spec("first_business", "首次创业", BOOL),
    _spec("course", "创业培训课程", CHOICE, choices=COURSES),
    _spec("has_training_certificate", "取得创业培训合格证书", BOOL),
    _spec("previously_subsidised_courses", "已享受过补贴的课程", SET, default=frozenset(), choices=COURSES),
    _spec("si_contribution_paid", "实际缴纳的社会保险费", MONEY),
    _spec("si_subsidy_months_received", "已享受社会保险补贴月数（含本期）", INT, default=0, maximum=1200),
    _spec("first_si_subsidy_date", "首次核定社会保险补贴日期", DATE),
    _spec("is_small_micro", "属于小微企业", BOOL),
    _spec("headcount", "职工人数", INT),
    _spec("new_key_group_hires_12m", "近12个月新招用重点群体人数", INT),
    _spec("has_wage_or_si_arrears", "有拖欠职工工资或社会保险费", BOOL, default=False),
    _spec("contract_date", "贷款合同签订日期", DATE),
    _spec("principal", "贷款本金", MONEY, allow_zero=False),
    _spec("annual_rate", "贷款年利率", RATE),
    _spec("days", "计息天数", INT, minimum=1, maximum=1100),
    _spec("extended", "贷款已展期", BOOL, default=False),
    _spec("overdue", "贷款已逾期", BOOL, default=False),
    _spec("partners", "合伙人", PARTNERS),
]

VOCABULARY: dict[str, FactSpec] = {s.name: s for s in _SPECS}
DEFAULTS: dict[str, Any] = {s.name: s.default for s in _SPECS}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def label_of(name: str) -> str:
    return VOCABULARY[name].label


@dataclass(frozen=True)
class Facts:
    """Checked facts. ``values`` holds every vocabulary field (the default, possibly None, when not given);
    ``canonical`` is the JSON form of what was given, as stored in decision records."""

    values: Mapping[str, Any]
    provided: frozenset[str]
    canonical: Mapping[str, Any]

    def defaulted(self, name: str) -> bool:
        return name not in self.provided and DEFAULTS[name] is not None


def parse_facts(raw: object, *, field: str = "facts", allow_partners: bool = True) -> Facts:
    """Check a JSON object of facts against the vocabulary; raise ``FieldValueError`` naming the first bad field.

    Well-formed values of the common shapes are read inline; anything else goes to the field's parser below,
    which gives the same result for good values and the error message for bad ones."""
    if not isinstance(raw, Mapping):
        raise FieldValueError(field, "事实数据", "应为 JSON 对象")
    values = dict(DEFAULTS)
    canonical: dict[str, Any] = {}
    for name, value in raw.items():
        inline = _INLINE.get(name)
        value_type = type(value)
        if inline is _BOOL:
            if value_type is bool:
                values[name] = canonical[name] = value
                continue
        elif inline is _DATE:
            if value_type is str and _ISO_DATE.match(value):
                try:
                    day = _fromisoformat(value)
                except ValueError:
                    day = None
                if day is not None and EARLIEST_DATE <= day <= LATEST_DATE:
                    values[name], canonical[name] = day, value
                    continue
        elif inline is _INT:
            low, high = _INT_RANGES[name]
            if value_type is int and low <= value <= high:
                values[name] = canonical[name] = value
                continue
        elif inline is not None and value_type is inline[0]:
            found = inline[1](VOCABULARY[name], value)
            if found is not None:
                values[name], canonical[name] = found
                continue
        # Everything else (unknown fields, nulls, partners, values to refuse or to normalise) the general way.
        spec = VOCABULARY.get(name) if isinstance(name, str) else None
        if spec is None or (spec.kind == PARTNERS and not allow_partners):
            raise FieldValueError(f"{field}.{name}", str(name), "是未知字段")
        if value is None:
            continue  # an explicit null is the same as leaving the fact out
        # The field path is passed as its two parts and joined only for an error message (this runs per fact).
        values[name], canonical[name] = _PARSERS[spec.kind](spec, value, field)
    return Facts(values=values, provided=frozenset(canonical), canonical=canonical)


_fromisoformat = dt.date.fromisoformat
# Plain amounts ("1234.50"): ASCII digits, no sign, no separators, exactly two decimals, at most 9 whole digits
# (below the money limit while the settings allow at least 9 whole digits). Others go through ``parse_money``.
_PLAIN_MONEY = re.compile(r"([0-9]{1,9})\.([0-9]{2})")
_PLAIN_RATE = re.compile(rf"0\.([0-9]{{1,{RATE_PLACES}}})")
_limits: dict[str, bool] = {}


@receiver(setting_changed)
def _forget_limits(**kwargs: Any) -> None:
    _limits.clear()


def _plain_money(spec: FactSpec, value: str) -> tuple[Fraction, str] | None:
    match = _PLAIN_MONEY.fullmatch(value)
    if match is None:
        return None
    nine_digits_fit = _limits.get("money")
    if nine_digits_fit is None:
        nine_digits_fit = _limits["money"] = settings.MONEY_MAX_DIGITS - settings.MONEY_DECIMAL_PLACES >= 9
    whole, cents = match.groups()
    amount = int(whole + cents)
    if not nine_digits_fit or (amount == 0 and not spec.allow_zero):
        return None
    return Fraction(amount, 100), f"{int(whole)}.{cents}"


def _plain_rate(spec: FactSpec, value: str) -> tuple[Fraction, str] | None:
    """A rate written as "0.dddddd": its exact value, and the normalised text ``parse_rate`` would keep."""
    match = _PLAIN_RATE.fullmatch(value)
    if match is None:
        return None
    digits = match.group(1)
    significant = digits.rstrip("0")
    return Fraction(int(digits), 10 ** len(digits)), "0." + significant if significant else "0"


def _plain_set(spec: FactSpec, value: list[Any]) -> tuple[frozenset[str], list[str]] | None:
    """A list of known codes (text, trimmed; course codes in any case); None for anything else."""
    choices = spec.choices or {}
    upper = spec.name == "previously_subsidised_courses"
    codes = set()
    for item in value:
        if type(item) is not str:
            return None
        code = item.strip().upper() if upper else item.strip()
        if code not in choices:
            return None
        codes.add(code)
    return frozenset(codes), [c for c in choices if c in codes]


def _plain_choice(spec: FactSpec, value: str) -> tuple[str, str] | None:
    code = value.strip().upper()
    return (code, code) if spec.choices is not None and code in spec.choices else None


# How ``parse_facts`` reads each field inline: a marker for the three commonest kinds, else the value type it
# reads and the reader (returning None to leave the value to the general parser).
_BOOL, _DATE, _INT = (BOOL,), (DATE,), (INT,)
_READERS: dict[str, tuple[type, Callable[[FactSpec, Any], Any]]] = {
    MONEY: (str, _plain_money),
    RATE: (str, _plain_rate),
    CHOICE: (str, _plain_choice),
    SET: (list, _plain_set),
}
_INLINE: dict[Any, Any] = {
    spec.name: {BOOL: _BOOL, DATE: _DATE, INT: _INT}.get(spec.kind) or _READERS.get(spec.kind)
    for spec in _SPECS
    if spec.kind != PARTNERS
}
_INT_RANGES = {spec.name: (spec.minimum, spec.maximum) for spec in _SPECS if spec.kind == INT}


def _at(prefix: str, spec: FactSpec) -> str:
    return f"{prefix}.{spec.name}"


def _parse_date(spec: FactSpec, value: Any, prefix: str) -> tuple[Any, Any]:
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        raise FieldValueError(_at(prefix, spec), spec.label, "应为日期，格式 YYYY-MM-DD")
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise FieldValueError(_at(prefix, spec), spec.label, f"{value} 不是有效日期") from None
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise FieldValueError(_at(prefix, spec), spec.label, "应在 1900-01-01 至 2100-12-31 之间")
    return day, value


def _parse_bool(spec: FactSpec, value: Any, prefix: str) -> tuple[Any, Any]:
    if not isinstance(value, bool):
        raise FieldValueError(_at(prefix, spec), spec.label, "应为 true 或 false")
    return value, value


def _parse_int(spec: FactSpec, value: Any, prefix: str) -> tuple[Any, Any]:
    if isinstance(value, bool) or not isinstance(value, int):
        raise FieldValueError(_at(prefix, spec), spec.label, "应为整数")
    if not spec.minimum <= value <= spec.maximum:
        raise FieldValueError(_at(prefix, spec), spec.label, f"应在 {spec.minimum} 到 {spec.maximum} 之间")
    return value, value


def _parse_money(spec: FactSpec, value: Any, prefix: str) -> tuple[Any, Any]:
    amount = parse_money(value, field=_at(prefix, spec), label=spec.label, allow_zero=spec.allow_zero)
    return Fraction(amount), str(amount)


def parse_rate(value: Any, *, field: str, label: str) -> Decimal:
    """An annual rate as a fraction ("0.0435") or a percentage ("4.35%"); exact, below 1, at most 6 decimals."""
    if isinstance(value, bool | float) or value is None:
        raise FieldValueError(field, label, '应为文本形式的小数，例如 "0.0435" 或 "4.35%"')
    text = str(value).strip()
    percent = text.endswith("%")
    try:
        rate = Decimal(text.rstrip("%").strip())
    except InvalidOperation:
        raise FieldValueError(field, label, '不是有效的利率，例如 "0.0435" 或 "4.35%"') from None
    if not rate.is_finite():
        raise FieldValueError(field, label, '不是有效的利率，例如 "0.0435" 或 "4.35%"')
    if percent:
        rate = rate / 100
    if rate < 0 or rate >= 1:
        raise FieldValueError(field, label, '应不小于 0 且小于 1（以小数表示，例如 "0.0435"；百分数请加 %）')
    if rate != rate.quantize(Decimal(1).scaleb(-RATE_PLACES)):
        raise FieldValueError(field, label, "精度不能超过 0.0001%（小数点后 6 位）")
    return rate


def _parse_rate(spec: FactSpec, value: Any, prefix: str) -> tuple[Any, Any]:
    rate = parse_rate(value, field=_at(prefix, spec), label=spec.label)
    return Fraction(rate), format(rate.normalize(), "f")


def _parse_choice(spec: FactSpec, value: Any, prefix: str) -> tuple[Any, Any]:
    choices = spec.choices or {}
    code = value.strip().upper() if isinstance(value, str) else None
    if code not in choices:
        raise FieldValueError(_at(prefix, spec), spec.label, "应为以下之一：" + "、".join(choices))
    return code, code


def _parse_set(spec: FactSpec, value: Any, prefix: str) -> tuple[Any, Any]:
    choices = spec.choices or {}
    if not isinstance(value, list):
        raise FieldValueError(_at(prefix, spec), spec.label, "应为列表")
    codes = set()
    for i, item in enumerate(value):
        code = item.strip() if isinstance(item, str) else None
        if spec.name == "previously_subsidised_courses" and code is not None:
            code = code.upper()
        if code not in choices:
            problem = "含有未知取值，应为以下之一：" + "、".join(choices)
            raise FieldValueError(f"{_at(prefix, spec)}.{i}", spec.label, problem)
        codes.add(code)
    ordered = [c for c in choices if c in codes]
    return frozenset(codes), ordered


def _parse_partners(spec: FactSpec, value: Any, prefix: str) -> tuple[Any, Any]:
    if not isinstance(value, list):
        raise FieldValueError(_at(prefix, spec), spec.label, "应为合伙人事实数据的列表")
    if len(value) > MAX_PARTNERS:
        raise FieldValueError(_at(prefix, spec), spec.label, f"不能超过 {MAX_PARTNERS} 人")
    where = _at(prefix, spec)
    partners = tuple(parse_facts(item, field=f"{where}.{i}", allow_partners=False) for i, item in enumerate(value))
    return partners, [dict(p.canonical) for p in partners]


_PARSERS = {
    DATE: _parse_date,
    BOOL: _parse_bool,
    INT: _parse_int,
    MONEY: _parse_money,
    RATE: _parse_rate,
    CHOICE: _parse_choice,
    SET: _parse_set,
    PARTNERS: _parse_partners,
}
