"""创业培训补贴: a course on the subsidised list, completed with a certificate, subsidised once per course.
The amount per course is regional.

Some regions pay the full amount only when the trainee starts a business within a period after completion and a
share otherwise (DOMAIN §5: 100% within 6 months, else 50%). The rule applies where a region sets both
``subsidy.training.startup_window_months`` and ``subsidy.training.no_startup_share``; it is decided on the
completion (certificate) date, so the window is counted from the decision date, and ``business_started_on`` is
the person's earliest registered business as the registry knows it when the claim is made.
"""

from fractions import Fraction

from chuangye.policies.expr import AddMonths, Compare, Const, Contains, If, ParamFor, Present, Today, fact, param
from chuangye.policies.facts import COURSES
from chuangye.policies.policy import Criterion, Policy

COURSE = fact("course")

LISTED = Criterion(
    code="listed_course",
    label="属于补贴目录内的创业培训课程",
    test=Contains(param("subsidy.training.courses"), COURSE),
    passed="{course} 在补贴目录内",
    failed="{course} 不在补贴目录内",
    show={"course": COURSE},
)

CERTIFICATE = Criterion(
    code="certificate",
    label="取得创业培训合格证书",
    test=fact("has_training_certificate"),
    passed="已取得创业培训合格证书",
    failed="未取得创业培训合格证书",
)

FIRST_TIME = Criterion(
    code="first_subsidy_for_course",
    label="该课程未享受过培训补贴",
    test=~Contains(fact("previously_subsidised_courses"), COURSE),
    passed="{course} 未享受过培训补贴",
    failed="{course} 已享受过培训补贴，同一课程只补贴一次",
    show={"course": COURSE},
)

STARTED = fact("business_started_on")
WINDOW = param("subsidy.training.startup_window_months")
NO_STARTUP_SHARE = param("subsidy.training.no_startup_share")
STARTED_IN_TIME = Present(STARTED) & Compare("<=", STARTED, AddMonths(Today(), WINDOW))
SHARE = If(
    Present(WINDOW) & Present(NO_STARTUP_SHARE) & ~STARTED_IN_TIME,
    NO_STARTUP_SHARE,
    Const(Fraction(1), "num"),
)

POLICY = Policy(
    code="subsidy.training",
    title="创业培训补贴",
    plan=4,
    plan_title="创业培训赋能",
    legal_basis=("财社〔2017〕164号", "人社部发〔2022〕81号"),
    criteria=(LISTED, CERTIFICATE, FIRST_TIME),
    amount=ParamFor("subsidy.training.amount", COURSE, tuple(COURSES)) * SHARE,
    amount_label="补贴金额",
    notes="课程代码：GYB、SYB、IYB、EYB、NET（网络创业培训）、SIM（创业模拟实训）、CAMP（创业训练营）。补贴标准由地方按课程确定；地方规定结业后期限内创业全额补贴、否则按比例补贴的，按该比例计算。",
)
