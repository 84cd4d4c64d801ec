"""The closed sets of words the CLI and the library accept, declared once.

Each is a StrEnum, so a member is the plain string everywhere it is stored or compared
(`Role.MANAGER == "manager"`); painrcm.cli offers them as choices (listed in --help), and the
work queue and export modules check library calls against the same members.
"""

from __future__ import annotations

from enum import StrEnum


class ClaimsFormat(StrEnum):
    """`painrcm generate --claims-format`: the claims as the CSV extract, as 837P batches, both."""

    CSV = "csv"
    X837 = "837"
    BOTH = "both"


class Engine(StrEnum):
    """`painrcm build --engine`: where dbt builds the marts."""

    DUCKDB = "duckdb"
    SPARK = "spark"


class ExportFormat(StrEnum):
    """`painrcm export --format` (any case)."""

    CSV = "csv"
    XLSX = "xlsx"


class ListFormat(StrEnum):
    """`painrcm work list --format`."""

    TABLE = "table"
    CSV = "csv"


class Role(StrEnum):
    """A work-queue user's role."""

    BILLER = "biller"
    MANAGER = "manager"


class WorkStatus(StrEnum):
    """A worklist item's status (painrcm.work.items; the state database checks the same)."""

    NEW = "new"
    IN_PROGRESS = "in_progress"
    WAITING_ON_PAYER = "waiting_on_payer"
    DONE = "done"
    SNOOZED = "snoozed"
