"""Every KPI of the platform, in one place (DOMAIN.md §13), each with its formula and source tables.

The KPIs are declared per topic in the modules of this package (``registry``, ``cases``, ``loans``, ``policies``,
``incubators``, ``training``, ``flexible``; shared helpers in ``base``); importing the package registers them all.

To add a KPI: declare it in its topic's module with ``register(KPI(...))``; the dashboards, comparisons, trends,
drill-down, workbooks, monthly snapshots, public page and API pick it up. ``rows`` must return the records of the
period with the period applied; ``region`` names the field that places a record in a region.
"""

from chuangye.reporting.definitions import cases, flexible, incubators, loans, policies, registry, training  # noqa: F401 - each module registers its KPIs on import
from chuangye.reporting.definitions.base import (
    CASES_TOPIC,
    FLEXIBLE_TOPIC,
    INCUBATORS_TOPIC,
    LOANS_TOPIC,
    POLICIES_TOPIC,
    REGISTRY_TOPIC,
    TRAINING_TOPIC,
)
from chuangye.reporting.definitions.loans import PER_MILLION_FEN
from chuangye.reporting.definitions.policies import STARTUP_ONCE
from chuangye.reporting.definitions.training import FOLLOWUP_MONTHS

__all__ = [
    "CASES_TOPIC",
    "FLEXIBLE_TOPIC",
    "FOLLOWUP_MONTHS",
    "INCUBATORS_TOPIC",
    "LOANS_TOPIC",
    "PER_MILLION_FEN",
    "POLICIES_TOPIC",
    "REGISTRY_TOPIC",
    "STARTUP_ONCE",
    "TRAINING_TOPIC",
]
