"""低投入、低风险创业项目目录 for people with employment difficulty (plan 2). Reference figures, not a promise.

Typical investment ranges are the platform's own rough estimates for a second-tier city in 2026 (stall fees, a
small stock, simple equipment); every entry can be opened straight into a business simulation with its typical
figures, where the founder replaces them with their own.
"""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class ProjectType:
    code: str
    name: str
    scene: str  # 夜经济, 后备箱经济, ...
    description: str
    investment_low: Decimal
    investment_high: Decimal
    price: Decimal  # typical selling price per unit, for the simulation
    monthly_volume: int
    unit_variable_cost: Decimal
    monthly_fixed_cost: Decimal
    industry: str  # a scoring.INDUSTRIES code
    tips: str


PROJECT_TYPES: tuple[ProjectType, ...] = (
    ProjectType(
        "night_snack",
        "夜市小吃摊",
        "夜经济",
        "在政府划定的夜市、步行街摊位经营特色小吃，傍晚出摊，投入小、回款快。",
        Decimal("8000"),
        Decimal("20000"),
        Decimal("15"),
        1800,
        Decimal("7"),
        Decimal("2500"),
        "catering",
        "须办理食品经营备案或小餐饮登记，选择有管理的夜市摊位。",
    ),
    ProjectType(
        "night_crafts",
        "夜市文创手作摊",
        "夜经济",
        "手工饰品、文创小物现场制作与销售，可兼做线上订单。",
        Decimal("3000"),
        Decimal("10000"),
        Decimal("35"),
        400,
        Decimal("12"),
        Decimal("1200"),
        "culture",
        "选择人流稳定的街区，注意原创设计与知识产权。",
    ),
    ProjectType(
        "trunk_market",
        "后备箱集市",
        "后备箱经济",
        "利用自有车辆在规范的后备箱集市销售鲜花、饮品、日用小商品。",
        Decimal("3000"),
        Decimal("12000"),
        Decimal("25"),
        600,
        Decimal("13"),
        Decimal("800"),
        "retail",
        "仅在管理方许可的集市经营，遵守停车与消防要求。",
    ),
    ProjectType(
        "community_repair",
        "社区便民维修",
        "社区服务",
        "家电、手机、鞋包等便民维修，可进入社区便民服务点。",
        Decimal("5000"),
        Decimal("15000"),
        Decimal("60"),
        200,
        Decimal("15"),
        Decimal("1500"),
        "services",
        "可申请社区公益性场地，参加相关职业技能培训取得证书。",
    ),
    ProjectType(
        "home_care",
        "家政保洁服务",
        "社区服务",
        "居家保洁、收纳整理、月嫂育儿嫂对接，以个人技能为主，几乎无需场地。",
        Decimal("2000"),
        Decimal("8000"),
        Decimal("120"),
        60,
        Decimal("20"),
        Decimal("600"),
        "services",
        "可通过零工市场和社区接单，参加家政职业培训提升服务价格。",
    ),
    ProjectType(
        "online_agri",
        "农产品直播带货",
        "网络创业",
        "销售本地特色农产品，借助电商平台与直播，适合返乡人员。",
        Decimal("5000"),
        Decimal("30000"),
        Decimal("50"),
        500,
        Decimal("32"),
        Decimal("2000"),
        "ecommerce",
        "注意食品标签与质量追溯，可参加网络创业培训。",
    ),
)

BY_CODE = {p.code: p for p in PROJECT_TYPES}
