"""Prepare the fault runs' cast on a database that already has the demo data (``manage.py seed_demo``).

    python -m faults.setup_data STATE.json

Creates, all through the real actions: citizens who will submit registration applications on the web form; loan
applications taken through the three tiers to "approved" (the bank disburses them through the API during the
runs); a few loans disbursed months ago (the bank posts repayments on them during the runs); an API token of the
demo bank 黄磊 (bank_jj) with the loans scopes. Past dates are reached with time_machine in this process only.
Writes what the traffic driver needs to STATE.json. Runs in development mode (the CHUANGYE_ENV of the servers is
production) against the same database URL and the same personal-data keys as the servers.
"""

import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import Any

REGISTRATION_CITIZENS = 6
APPROVED_APPLICATIONS = 130
REPAYMENT_LOANS = 4
NUMERALS = "零一二三四五六七八九"
BEIJING = dt.timezone(dt.timedelta(hours=8))


def _at(day: dt.date) -> Any:
    import time_machine

    return time_machine.travel(dt.datetime.combine(day, dt.time(10), tzinfo=BEIJING), tick=False)


def main(out: Path) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.db import transaction

    from chuangye.accounts.actions import api_token_issue
    from chuangye.accounts.models import Role, User
    from chuangye.accounts.testing import PASSWORD, make_citizen
    from chuangye.core.ids import generate_resident_id
    from chuangye.loans.testing import apply, approve, certify, disburse
    from chuangye.registry.models import Person

    bank = User.objects.get(username="bank_jj")
    officer = User.objects.get(username="officer_jj")
    guarantor = User.objects.get(username="guarantor")
    sysadmin = User.objects.get(username="sysadmin")
    today = dt.datetime.now(BEIJING).date()
    birth = dt.date(1990, 1, 1)

    def citizen(tag: str, index: int) -> User:
        born = birth + dt.timedelta(days=index * 3 + (0 if tag == "reg" else 1500))
        phone = f"139{'1' if tag == 'reg' else '2'}{index:07d}"
        name = ("林" if tag == "reg" else "何") + "".join(NUMERALS[int(d)] for d in f"{index:02d}")  # no digits
        sex = "F" if index % 2 else "M"
        if tag == "reg":  # they sign in on the web
            return make_citizen(
                f"fault_reg_{index}", name, phone=phone, region_code="510104", birth=born.isoformat(), sex=sex
            )
        # Borrowers never sign in: as make_citizen, without the (slow, Argon2) password.
        user = User(username=f"fault_loan_{index}", role=Role.CITIZEN, real_name=name)
        user.set_unusable_password()
        user.set_phone(phone)
        user.save()
        person = Person(name=name, sex=sex, birth_date=born, hukou_region_code="510104", region_code="510104")
        person.set_id_number(generate_resident_id("510104", born, sex, 3))  # type: ignore[arg-type]
        person.set_phone(phone)
        person.user = user
        person.save()
        return user

    with transaction.atomic():
        registrants = [citizen("reg", i) for i in range(REGISTRATION_CITIZENS)]
    approved, loans = [], []
    applied_on = today - dt.timedelta(days=200)
    for index in range(APPROVED_APPLICATIONS + REPAYMENT_LOANS):
        with transaction.atomic():
            borrower = citizen("loan", index)
            certify(borrower.person, since=applied_on - dt.timedelta(days=300))
            with _at(applied_on):
                case = approve(apply(borrower, bank, requested_amount="100000.00"), officer, guarantor, bank)
            if index < REPAYMENT_LOANS:
                with _at(applied_on + dt.timedelta(days=5)):
                    loan = disburse(
                        case,
                        bank,
                        contract_number=f"FAULT-SEED-{case.pk}",
                        contract_date=(applied_on + dt.timedelta(days=5)).isoformat(),
                        disbursed_on=(applied_on + dt.timedelta(days=5)).isoformat(),
                        principal="100000.00",
                    )
                loans.append(loan.pk)
            else:
                approved.append(case.loan_application.pk)
    _, key = api_token_issue(actor=sysadmin, user=bank, name="故障演练", scopes=["loans:read", "loans:write"])
    state = {
        "password": PASSWORD,
        "registrants": [u.username for u in registrants],
        "approved_applications": approved,
        "repayment_loans": loans,
        "bank_token": key,
        "bank_username": bank.username,
        "today": today.isoformat(),
    }
    out.write_text(json.dumps(state, ensure_ascii=False, indent=1))
    print(
        f"故障演练数据已就绪：{len(registrants)} 名办理登记的群众，{len(approved)} 笔待放款的已批准贷款申请，"
        f"{len(loans)} 笔可还款的贷款，银行接口令牌 1 个。"
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
