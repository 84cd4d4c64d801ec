"""Ingest-level plants: rows and files the loader must quarantine or reject (INPUTS.md).

Each bad row sits in a delivery of its own (a portal re-send, a manual posting batch ...)
beside good rows, so the test also sees that the rest of the file loads.
"""

from __future__ import annotations

from datetime import timedelta

from ingest.schemas import EXTRACTS
from painrcm.generate.plants import PlantContext, PlantFile, PlantOutput
from painrcm.generate.reference import luhn_check_digit, make_npi


def _row(kind: str, values: dict[str, str]) -> list[str]:
    return [values.get(c, "") for c in EXTRACTS[kind].column_names]


def plant(ctx: PlantContext) -> PlantOutput:
    out = PlantOutput()
    rng = ctx.rng
    as_of = ctx.as_of
    npi = ctx.providers[0].npi
    payer = next(p for p in ctx.payers if p.payer_type == "commercial")
    d = as_of - timedelta(days=3)
    p1, p2, p3, p4 = (ctx.patient_id(i) for i in range(1, 5))
    claim_id = f"C9{ctx.namespace:02d}00001"

    def expect(kind, name, row, reason):
        out.quarantine_expected.append(
            {"kind": kind, "file_name": name, "row_number": str(row), "reason_contains": reason}
        )

    # 1. claims: an impossible service date on line 2
    name = f"claims_{d.isoformat()}_resend.csv"
    base = dict(
        claim_id=claim_id,
        patient_id=p1,
        payer_id=payer.payer_id,
        rendering_npi=npi,
        submitted_date=d.isoformat(),
        units="1",
        diagnosis_codes="M54.50",
        place_of_service="11",
    )
    rows = [
        _row(
            "claims",
            {
                **base,
                "line_number": "1",
                "service_date": (d - timedelta(days=2)).isoformat(),
                "procedure_code": "99213",
                "charge_amount": "295.00",
            },
        ),
        _row(
            "claims",
            {
                **base,
                "line_number": "2",
                "service_date": f"{d.year}-02-30",
                "procedure_code": "20552",
                "charge_amount": "200.00",
            },
        ),
    ]
    out.csv_files.append(PlantFile("claims", name, EXTRACTS["claims"].column_names, rows))
    expect("claims", name, 2, "service_date")

    # 2. appointments: a status the contract does not know
    name = f"appointments_{d.isoformat()}_portal.csv"
    base = dict(
        appointment_id=f"A9{ctx.namespace:02d}00001",
        line_number="1",
        patient_id=p2,
        payer_id=payer.payer_id,
        rendering_npi=npi,
        service_state="TX",
        place_of_service="11",
        scheduled_on=d.isoformat(),
        procedure_code="99214",
        units="1",
    )
    rows = [
        _row(
            "appointments",
            {
                **base,
                "service_date": (as_of + timedelta(days=20)).isoformat(),
                "status": "scheduled",
            },
        ),
        _row(
            "appointments",
            {
                **base,
                "appointment_id": f"A9{ctx.namespace:02d}00002",
                "service_date": (d - timedelta(days=1)).isoformat(),
                "status": "done",
            },
        ),
    ]
    out.csv_files.append(
        PlantFile("appointments", name, EXTRACTS["appointments"].column_names, rows)
    )
    expect("appointments", name, 2, "status")

    # 3. ledger: money that is not a number
    name = f"ledger_{d.isoformat()}_manual.csv"
    rows = [
        _row(
            "ledger",
            dict(
                posting_id=f"L9{ctx.namespace:02d}00001",
                claim_id=claim_id,
                posted_date=d.isoformat(),
                posting_type="patient_payment",
                amount="12O.50",
                reason="copay at front desk",
            ),
        ),
        _row(
            "ledger",
            dict(
                posting_id=f"L9{ctx.namespace:02d}00002",
                claim_id=claim_id,
                posted_date=d.isoformat(),
                posting_type="patient_payment",
                amount="40.00",
                reason="copay at front desk",
            ),
        ),
    ]
    out.csv_files.append(PlantFile("ledger", name, EXTRACTS["ledger"].column_names, rows))
    expect("ledger", name, 1, "amount")

    # 4. providers: a locum with a mistyped (Luhn-invalid) NPI, beside a valid one
    name = f"providers_{d.isoformat()}_locums.csv"
    good = make_npi(rng)
    bad = make_npi(rng)
    bad = bad[:9] + str((int(bad[9]) + 3) % 10)
    assert luhn_check_digit("80840" + bad[:9]) != bad[9]
    rows = [
        _row(
            "providers",
            dict(
                npi=good,
                provider_name="Dana Whitley MD",
                practice_state="TX",
                license_expires_on=f"{as_of.year + 2}-06-30",
                dea_expires_on=f"{as_of.year + 2}-09-30",
                caqh_attested_on=(d - timedelta(days=30)).isoformat(),
            ),
        ),
        _row(
            "providers",
            dict(
                npi=bad,
                provider_name="Owen Kessler DO",
                practice_state="TX",
                license_expires_on=f"{as_of.year + 2}-03-31",
            ),
        ),
    ]
    out.csv_files.append(PlantFile("providers", name, EXTRACTS["providers"].column_names, rows))
    expect("providers", name, 2, "npi")

    # 5. authorizations: a faxed log typed up without the required `urgency` column
    name = f"authorizations_{d.isoformat()}_fax.csv"
    cols = [c for c in EXTRACTS["authorizations"].column_names if c != "urgency"]
    row = dict(
        auth_id=f"AU9{ctx.namespace:02d}0001",
        patient_id=p3,
        payer_id=payer.payer_id,
        program="payer_pa",
        request_date=d.isoformat(),
        decision="pending",
        procedure_codes="64483",
        spinal_region="lumbar",
        levels="L4-L5",
        laterality="left",
    )
    out.csv_files.append(PlantFile("authorizations", name, cols, [[row.get(c, "") for c in cols]]))
    expect("authorizations", name, "", "urgency")
    out.rejected_files.append(("authorizations", name))

    # 6. remits: a 999 acknowledgment dropped into the ERA folder by mistake
    name = f"ack_999_{d.isoformat()}.txt"
    ymd = d.strftime("%Y%m%d")
    segs = [
        f"ISA*00*          *00*          *ZZ*{'CLEARHOUSE01':<15}*ZZ*{'HCSPA0001':<15}*"
        f"{d.strftime('%y%m%d')}*1015*^*00501*000009901*0*P*:",
        f"GS*FA*CLEARHOUSE01*HCSPA0001*{ymd}*1015*9901*X*005010X231A1",
        "ST*999*0001*005010X231A1",
        "AK1*HC*4471*005010X222A1",
        "AK2*837*0001*005010X222A1",
        "IK5*A",
        "AK9*A*1*1*1",
        "SE*6*0001",
        "GE*1*9901",
        "IEA*1*000009901",
    ]
    # An X12 file is read for what it is, whichever folder it is in (INPUTS.md): this one
    # loads as an acknowledgment (no quarantine) that names no loaded 837 (AK1 4471), so it
    # is listed among the unmatched acknowledgments on the Data health page.
    out.raw_files.append(("remits", name, ("~\n".join(segs) + "~\n").encode("ascii")))
    del p4
    out.findings["ingest"] = list(out.quarantine_expected)
    return out
