"""The demo guarantee fund: the demo guarantor's fund for 成都市, with public money paid in, so the demo can lend."""

from decimal import Decimal

from chuangye.accounts.models import Organisation
from chuangye.loans.models import GuaranteeFund

DEMO_FUND_DEPOSIT = Decimal("20000000.00")


def seed_fund() -> bool:
    """Create the fund and its first deposit once; a second run changes nothing. Returns True when created."""
    from chuangye.loans.testing import seed_fund as deposit

    org = Organisation.objects.filter(kind=Organisation.Kind.GUARANTOR, region_code="510100").first()
    if org is None or GuaranteeFund.objects.filter(organisation=org).exists():
        return False
    fund = GuaranteeFund.objects.create(organisation=org, name="成都市创业担保基金（示例）", region_code="510100")
    deposit(fund, DEMO_FUND_DEPOSIT)
    return True
