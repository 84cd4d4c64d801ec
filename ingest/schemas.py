"""Every extract kind of shared/contract/INPUTS.md: its columns, types, required flags, keys.

This module is the single Python statement of the input contract: the validator, the raw
DDL and the demo generator all read it, so a column is declared once.
"""

from __future__ import annotations

from dataclasses import dataclass

# Column types the validator knows (see ingest/csv_extracts.py for each rule).
STR, INT, DECIMAL, DATE, BOOL, ENUM, LIST, NPI, STATE, POS = (
    "str",
    "int",
    "decimal",
    "date",
    "bool",
    "enum",
    "list",
    "npi",
    "state",
    "pos",
)


@dataclass(frozen=True)
class Column:
    name: str
    type: str = STR
    required: bool = False
    values: tuple[str, ...] = ()  # allowed values of an enum
    # int: the range; decimal: min_value=0 marks money that is >= 0 (INPUTS: every amount
    # but the ledger's, where a refund is negative)
    min_value: int | None = None
    max_value: int | None = None


@dataclass(frozen=True)
class Extract:
    kind: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    optional_kind: bool = False

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required_names(self) -> list[str]:
        return [c.name for c in self.columns if c.required]


PAYER_TYPES = (
    "medicare_ffs",
    "medicare_advantage",
    "medicaid",
    "commercial",
    "workers_comp",
    "other",
)
SPINAL_REGIONS = ("cervical", "thoracic", "lumbar", "sacral", "sacroiliac")
LATERALITIES = ("left", "right", "bilateral")
MODALITIES = ("none", "fluoroscopy", "ultrasound", "ct")


def _c(name, type_=STR, required=False, values=(), min_value=None, max_value=None) -> Column:
    return Column(name, type_, required, tuple(values), min_value, max_value)


EXTRACTS: dict[str, Extract] = {
    e.kind: e
    for e in (
        Extract(
            "payers",
            (
                _c("payer_id", required=True),
                _c("payer_name", required=True),
                _c("payer_type", ENUM, True, PAYER_TYPES),
                _c("x12_payer_id"),
                _c("parent_organization"),
                _c("timely_filing_days", INT, True, min_value=0),
                _c("appeal_window_days", INT, True, min_value=0),
                _c("mppr_secondary_pct", DECIMAL, True),
                _c("bilateral_pct", DECIMAL, True),
                _c("bilateral_billing", ENUM, True, ("modifier_50", "rt_lt")),
                _c("underpayment_tolerance", DECIMAL, min_value=0),
                _c("pa_report_id"),
            ),
            key=("payer_id",),
        ),
        Extract(
            "fee_schedules",
            (
                _c("payer_id", required=True),
                _c("procedure_code", required=True),
                _c("modifier"),
                _c("setting", ENUM, False, ("non_facility", "facility")),
                _c("allowed_amount", DECIMAL, True, min_value=0),
                _c("effective_from", DATE, True),
                _c("effective_to", DATE),
            ),
            key=("payer_id", "procedure_code", "modifier", "setting", "effective_from"),
        ),
        Extract(
            "providers",
            (
                _c("npi", NPI, True),
                _c("provider_name", required=True),
                _c("practice_state", STATE, True),
                _c("license_expires_on", DATE),
                _c("dea_expires_on", DATE),
                _c("caqh_attested_on", DATE),
            ),
            key=("npi",),
        ),
        Extract(
            "appointments",
            (
                _c("appointment_id", required=True),
                _c("line_number", INT, True, min_value=1),
                _c("patient_id", required=True),
                _c("payer_id", required=True),
                _c("member_id"),
                _c("rendering_npi", NPI, True),
                _c("service_state", STATE, True),
                _c("place_of_service", POS, True),
                _c("scheduled_on", DATE, True),
                _c("service_date", DATE, True),
                _c("status", ENUM, True, ("scheduled", "completed", "cancelled", "no_show")),
                _c("procedure_code", required=True),
                _c("modifiers", LIST),
                _c("units", INT, True, min_value=0),
                _c("spinal_region", ENUM, False, SPINAL_REGIONS),
                _c("levels", LIST),
                _c("laterality", ENUM, False, LATERALITIES),
                _c("guidance_modality", ENUM, False, MODALITIES),
                _c("guidance_image_saved", BOOL),
                _c("conservative_therapy_weeks", INT, min_value=0),
                _c("pain_duration_weeks", INT, min_value=0),
                _c("relief_pct", INT, min_value=0, max_value=100),
                _c("relief_weeks", INT, min_value=0),
                _c("psych_eval_documented", BOOL),
                _c("pain_score", INT, min_value=0, max_value=10),
                _c("auth_number"),
            ),
            key=("appointment_id", "line_number"),
        ),
        Extract(
            "authorizations",
            (
                _c("auth_id", required=True),
                _c("patient_id", required=True),
                _c("payer_id", required=True),
                _c("program", ENUM, True, ("payer_pa", "wiser")),
                _c("auth_number"),
                _c("request_date", DATE, True),
                _c("urgency", ENUM, True, ("standard", "expedited")),
                _c("decision_date", DATE),
                _c(
                    "decision",
                    ENUM,
                    True,
                    ("pending", "approved", "partial", "denied", "withdrawn"),
                ),
                _c("decision_reason"),
                _c("appealed", BOOL),
                _c("appeal_decision", ENUM, False, ("approved", "denied", "pending")),
                _c("procedure_codes", LIST, True),
                _c("spinal_region", ENUM, False, SPINAL_REGIONS),
                _c("levels", LIST),
                _c("laterality", ENUM, False, LATERALITIES),
                _c("units_approved", INT, min_value=0),
                _c("valid_from", DATE),
                _c("valid_to", DATE),
            ),
            key=("auth_id",),
        ),
        Extract(
            "claims",
            (
                _c("claim_id", required=True),
                _c("line_number", INT, True, min_value=1),
                _c("patient_id", required=True),
                _c("payer_id", required=True),
                _c("rendering_npi", NPI, True),
                _c("appointment_id"),
                _c("service_date", DATE, True),
                _c("submitted_date", DATE, True),
                _c("procedure_code", required=True),
                _c("modifiers", LIST),
                _c("units", INT, True, min_value=0),
                _c("charge_amount", DECIMAL, True, min_value=0),
                _c("diagnosis_codes", LIST, True),
                _c("prior_auth_number"),
                _c("place_of_service", POS, True),
                _c("line_control_number"),
                _c("frequency_code", ENUM, False, ("1", "7", "8")),
            ),
            key=("claim_id", "line_number"),
        ),
        Extract(
            "ledger",
            (
                _c("posting_id", required=True),
                _c("claim_id", required=True),
                _c("line_number", INT, min_value=1),
                _c("posted_date", DATE, True),
                _c(
                    "posting_type",
                    ENUM,
                    True,
                    (
                        "insurance_payment",
                        "patient_payment",
                        "contractual_adjustment",
                        "write_off",
                        "transfer_to_secondary",
                        "transfer_to_patient",
                        "refund",
                    ),
                ),
                _c("amount", DECIMAL, True),
                _c("reason"),
            ),
            key=("posting_id",),
            optional_kind=True,
        ),
        Extract(
            "care_time",
            (
                _c("activity_id", required=True),
                _c("patient_id", required=True),
                _c("payer_id", required=True),
                _c("rendering_npi", NPI, True),
                _c("activity_date", DATE, True),
                _c("minutes", INT, True, min_value=0),
                _c("in_person", BOOL, True),
                _c("activity"),
            ),
            key=("activity_id",),
            optional_kind=True,
        ),
        Extract(
            "procedure_notes",
            (
                _c("note_id", required=True),
                _c("appointment_id", required=True),
                _c("patient_id", required=True),
                _c("author_npi", NPI, True),
                _c("signed_at", DATE, True),
                _c("note_text", required=True),
            ),
            key=("note_id",),
            optional_kind=True,
        ),
        Extract(
            "payer_pa_metrics",
            (
                _c("parent_organization", required=True),
                _c("report_year", INT, True, min_value=2000, max_value=2100),
                _c("report_id"),
                _c("appeal_denominator", ENUM, False, ("all_requests", "appealed_requests")),
                _c("pct_standard_approved", DECIMAL, True),
                _c("pct_standard_denied", DECIMAL, True),
                _c("pct_approved_after_appeal", DECIMAL, True),
                _c("pct_extended_then_approved", DECIMAL),
                _c("pct_expedited_approved", DECIMAL, True),
                _c("pct_expedited_denied", DECIMAL, True),
                _c("avg_days_standard", DECIMAL, True),
                _c("median_days_standard", DECIMAL),
                _c("avg_hours_expedited", DECIMAL, True),
                _c("median_hours_expedited", DECIMAL),
                _c("report_level", ENUM, False, ("contract", "plan", "state", "issuer")),
                _c("source_url"),
            ),
            key=("report_id", "parent_organization", "report_year"),
            optional_kind=True,
        ),
    )
}

# The inbox sub-folder of the X12 835 remittance files (any extension).
REMITS_FOLDER = "remits"
# The inbox sub-folder of the X12 837P claim batches a PM sends (any extension).
CLAIMS_837_FOLDER = "claims_837"
# The inbox sub-folder of the X12 999 and 277CA acknowledgments (any extension).
ACKNOWLEDGMENTS_FOLDER = "acknowledgments"
X12_FOLDERS = (REMITS_FOLDER, CLAIMS_837_FOLDER, ACKNOWLEDGMENTS_FOLDER)
INBOX_FOLDERS = (*EXTRACTS.keys(), REMITS_FOLDER, CLAIMS_837_FOLDER, ACKNOWLEDGMENTS_FOLDER)
