"""创业培训补贴: a course on the subsidised list, completed with a certificate, subsidised once per course.
The amount per course is regional."""

from chuangye.policies.expr import Contains, ParamFor, fact, param
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

POLICY = Policy(
    code="subsidy.training",
    title="创业培训补贴",
    plan=4,
    plan_title="创业培训赋能",
    legal_basis=("财社〔2017〕164号", "人社部发〔2022〕81号"),
    criteria=(LISTED, CERTIFICATE, FIRST_TIME),
    amount=ParamFor("subsidy.training.amount", COURSE, tuple(COURSES)),
    amount_label="补贴金额",
    notes="课程代码：GYB、SYB、IYB、EYB、NET（网络创业培训）、SIM（创业模拟实训）、CAMP（创业训练营）。补贴标准由地方按课程确定。",
)
