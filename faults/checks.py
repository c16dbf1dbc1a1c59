"""What must hold after the faults, read straight from the database (Django configured by the caller).

Each function returns a list of problems in Chinese; empty means the invariant holds. ``acks`` are what the
clients were told (2xx): the key they sent and the id the server answered with. ``sent`` are every key a client
sent, acknowledged or not.
"""

from collections import Counter, defaultdict
from decimal import Decimal
from typing import Any

Ack = tuple[str, int]  # (key, id the server answered with)


def registration_problems(by_user: dict[str, dict[str, Any]]) -> tuple[list[str], dict[str, int]]:
    """``by_user``: username -> {"acks": [(key, case_id)], "sent": [keys], "retried": [(key, sent_at)]}. Every
    acknowledged submission is one case with that id; no key made two cases; no case came from a key nobody sent;
    every case is whole (its application, its first event "submit", its audit row). Also counts the submissions
    acknowledged only after a failed attempt, and how many of those the failed attempt had in fact committed
    (the case was stamped before the acknowledged attempt was sent): the form key turned that retry into a
    replay instead of a duplicate."""
    from chuangye.cases.models import Case, CaseEvent
    from chuangye.core.models import AuditEvent
    from chuangye.registration.models import Application

    problems: list[str] = []
    cases = list(
        Case.objects.filter(applicant_user__username__in=list(by_user), case_type="registration.establish").values(
            "pk", "number", "idempotency_key", "applicant_user__username", "submitted_at"
        )
    )
    per_key = Counter((c["applicant_user__username"], c["idempotency_key"]) for c in cases)
    problems += [f"登记申请：{u} 的键 {k} 产生了 {n} 个办件" for (u, k), n in per_key.items() if n > 1]
    found = {(c["applicant_user__username"], c["idempotency_key"]): c["pk"] for c in cases}
    acked = 0
    for username, record in by_user.items():
        sent = set(record["sent"])
        for key, case_id in record["acks"]:
            acked += 1
            if found.get((username, key)) != case_id:
                problems.append(
                    f"登记申请：已确认的 {username}/{key}（办件 {case_id}）在数据库中为 {found.get((username, key))}"
                )
        problems += [
            f"登记申请：办件 {pk} 的键 {key} 不是客户端发出的"
            for (u, key), pk in found.items()
            if u == username and key not in sent
        ]
    stamped = {(c["applicant_user__username"], c["idempotency_key"]): c["submitted_at"] for c in cases}
    retried = [(u, key, sent_at) for u, r in by_user.items() for key, sent_at in r.get("retried", [])]
    committed_before_retry = sum(
        1 for u, key, sent_at in retried if (u, key) in stamped and stamped[(u, key)].timestamp() < sent_at
    )
    ids = [c["pk"] for c in cases]
    with_payload = set(Application.objects.filter(case_id__in=ids).values_list("case_id", flat=True))
    first_events: dict[int, str] = {}
    for case_id, action in (
        CaseEvent.objects.filter(case_id__in=ids).order_by("case_id", "at", "id").values_list("case_id", "action")
    ):
        first_events.setdefault(case_id, action)
    audited = set(
        AuditEvent.objects.filter(action="case.submit", object_id__in=[c["number"] for c in cases]).values_list(
            "object_id", flat=True
        )
    )
    for c in cases:
        if c["pk"] not in with_payload:
            problems.append(f"登记申请：办件 {c['number']} 没有申请内容（半写入）")
        if first_events.get(c["pk"]) != "submit":
            problems.append(f"登记申请：办件 {c['number']} 的第一条记录不是“提交”（{first_events.get(c['pk'])}）")
        if c["number"] not in audited:
            problems.append(f"登记申请：办件 {c['number']} 没有提交的审计记录")
    figures = {
        "cases": len(cases),
        "acknowledged": acked,
        "acknowledged_after_a_failed_attempt": len(retried),
        "failed_attempt_had_committed": committed_before_retry,
    }
    return problems, figures


def disbursement_problems(
    bank_username: str, application_ids: list[int], acks: list[tuple[int, str, int]], sent: list[str]
) -> tuple[list[str], dict[str, int]]:
    """``acks``: (application id, key, loan id). One loan per acknowledged key and application, with its schedule,
    exactly one disbursement posting, its audit row and a stored response naming it; no loan without its key."""
    from chuangye.accounts.models import User
    from chuangye.core.models import AuditEvent
    from chuangye.loans.models import IdempotencyRecord, LedgerTransaction, Loan, ScheduleRow

    bank = User.objects.get(username=bank_username)
    problems: list[str] = []
    loans = {
        row["application_id"]: row
        for row in Loan.objects.filter(application_id__in=application_ids).values("pk", "number", "application_id")
    }
    records = {
        r.key: r
        for r in IdempotencyRecord.objects.filter(organisation=bank.organisation, operation="disburse", key__in=sent)
    }
    for application_id, key, loan_id in acks:
        loan = loans.get(application_id)
        if loan is None or loan["pk"] != loan_id:
            problems.append(f"放款：已确认的申请 {application_id}（贷款 {loan_id}）在数据库中为 {loan and loan['pk']}")
        record = records.get(key)
        if record is None or record.status != 201 or record.response.get("id") != loan_id:
            problems.append(f"放款：键 {key} 的幂等记录缺失或与已确认的贷款 {loan_id} 不符")
    by_app = {int(r.response.get("id", 0)): key for key, r in records.items() if r.status == 201}
    loan_ids = [row["pk"] for row in loans.values()]
    problems += [f"放款：贷款 {row['number']} 没有对应的幂等记录" for row in loans.values() if row["pk"] not in by_app]
    problems += [f"放款：键 {key} 记录了不存在的贷款 {pk}" for pk, key in by_app.items() if pk not in loan_ids]
    problems += [f"放款：键 {r.key} 有未完成的幂等记录（状态 {r.status}）" for r in records.values() if r.status != 201]
    postings = Counter(
        LedgerTransaction.objects.filter(loan_id__in=loan_ids, kind="disbursement").values_list("loan_id", flat=True)
    )

    scheduled = set(ScheduleRow.objects.filter(loan_id__in=loan_ids).values_list("loan_id", flat=True))
    audited = Counter(
        AuditEvent.objects.filter(
            action="loans.disburse", object_id__in=[r["number"] for r in loans.values()]
        ).values_list("object_id", flat=True)
    )
    for row in loans.values():
        if postings[row["pk"]] != 1:
            problems.append(f"放款：贷款 {row['number']} 有 {postings[row['pk']]} 笔放款记账")
        if row["pk"] not in scheduled:
            problems.append(f"放款：贷款 {row['number']} 没有还款计划（半写入）")
        if audited[row["number"]] != 1:
            problems.append(f"放款：贷款 {row['number']} 有 {audited[row['number']]} 条放款审计记录")
    return problems, {"loans": len(loans), "acknowledged": len(acks)}


def repayment_problems(
    bank_username: str, loan_ids: list[int], acks: list[tuple[int, str, int]], sent: list[str]
) -> tuple[list[str], dict[str, Any]]:
    """``acks``: (loan id, key, repayment id). One repayment per acknowledged key; one repayment posting per
    repayment; per loan the repayments, the schedule's paid interest and the ledger's interest account agree."""
    from chuangye.accounts.models import User
    from chuangye.loans.models import IdempotencyRecord, LedgerEntry, LedgerTransaction, Repayment, ScheduleRow

    bank = User.objects.get(username=bank_username)
    problems: list[str] = []
    sent_set = set(sent)
    repayments = list(
        Repayment.objects.filter(loan_id__in=loan_ids).values("pk", "loan_id", "idempotency_key", "interest")
    )
    per_key = Counter(r["idempotency_key"] for r in repayments if r["idempotency_key"])
    problems += [f"还款：键 {k} 产生了 {n} 笔还款" for k, n in per_key.items() if n > 1]
    by_key = {r["idempotency_key"]: r for r in repayments}
    problems += [
        f"还款：还款 {r['pk']} 的键 {r['idempotency_key']!r} 不是客户端发出的"
        for r in repayments
        if r["idempotency_key"] not in sent_set
    ]
    records = {
        r.key: r
        for r in IdempotencyRecord.objects.filter(organisation=bank.organisation, operation="repay", key__in=sent)
    }
    for loan_id, key, repayment_id in acks:
        found = by_key.get(key)
        if found is None or found["pk"] != repayment_id or found["loan_id"] != loan_id:
            problems.append(f"还款：已确认的键 {key}（还款 {repayment_id}）在数据库中为 {found and found['pk']}")
    for key, stored in records.items():
        if stored.status != 201 or key not in by_key or stored.response.get("id") != by_key[key]["pk"]:
            problems.append(f"还款：键 {key} 的幂等记录（状态 {stored.status}）与还款记录不符")
    problems += [f"还款：还款 {r['pk']} 没有对应的幂等记录" for k, r in by_key.items() if k not in records]
    postings = LedgerTransaction.objects.filter(loan_id__in=loan_ids, kind="repayment").count()
    if postings != len(repayments):
        problems.append(f"还款：{len(repayments)} 笔还款，却有 {postings} 笔还款记账")
    paid: dict[int, Decimal] = defaultdict(Decimal)
    for row in repayments:
        paid[row["loan_id"]] += row["interest"]
    schedule: dict[int, Decimal] = defaultdict(Decimal)
    for loan_id, amount in ScheduleRow.objects.filter(loan_id__in=loan_ids).values_list("loan_id", "paid_interest"):
        schedule[loan_id] += amount
    booked: dict[int, Decimal] = defaultdict(Decimal)
    entries = LedgerEntry.objects.filter(
        transaction__kind="repayment", transaction__loan_id__in=loan_ids, account__kind="loan_interest"
    ).values_list("transaction__loan_id", "amount")
    for loan_id, amount in entries:
        booked[loan_id] -= amount  # a repayment credits the interest receivable
    for loan_id in loan_ids:
        if not paid[loan_id] == schedule[loan_id] == booked[loan_id]:
            problems.append(
                f"还款：贷款 {loan_id} 已还利息合计 {paid[loan_id]}，"
                f"还款计划记 {schedule[loan_id]}，账上记 {booked[loan_id]}"
            )
    total = sum(paid.values(), Decimal(0))
    return problems, {"repayments": len(repayments), "acknowledged": len(acks), "interest": str(total)}


def ledger_and_audit_problems() -> tuple[list[str], dict[str, int]]:
    """The whole ledger balances (every transaction, every account against its entries), the subsidy figures
    reconcile, and every audit hash chain verifies."""
    from chuangye.core.audit import verify_chains
    from chuangye.core.models import AuditChain, AuditEvent
    from chuangye.loans.ledger import ledger_problems
    from chuangye.loans.models import LedgerEntry
    from chuangye.loans.subsidy import subsidy_problems

    problems = [f"账务：{p}" for p in ledger_problems()]
    problems += [f"贴息对账：{p}" for p in subsidy_problems()]
    problems += [f"审计链：{p}" for p in verify_chains()]
    figures = {
        "ledger_entries": LedgerEntry.objects.count(),
        "audit_chains": AuditChain.objects.count(),
        "audit_events": AuditEvent.objects.count(),
    }
    return problems, figures
