"""Throughput of 835 ingestion: ingest.remits.load_remit_file vs pyx12, same files.

    .venv/bin/python bench/ingest_835.py [--sizes 1000,10000,100000] [--pyx12-sample 10000]

Self-contained: a tiny generator below writes realistic synthetic 835s (two service lines a
claim, CAS/REF*6R/AMT*B6/LQ*HE on each, a PLB a check) so the bench does not depend on the
demo generator. What is timed and printed: bench/x12_throughput.py.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import x12_throughput  # noqa: E402

from ingest.remits import load_remit_file  # noqa: E402

CLAIMS_PER_CHECK = 500
CODES = ["64483", "64484", "64490", "64491", "64493", "64494", "64635", "62321", "20610"]
MODS = ["", ":50", ":RT", ":LT", ":59"]


def generate_835(claims: int, seed: int = 7) -> bytes:
    """One interchange, one GS, one ST per check of CLAIMS_PER_CHECK claims, CRLF lines."""
    rnd = random.Random(seed)
    out = [
        "ISA*00*          *00*          *ZZ*BENCHPAYER     *ZZ*PAINCLINIC01   "
        "*260312*0915*^*00501*000000001*0*P*:",
        "GS*HP*BENCHPAYER*PAINCLINIC01*20260312*0915*1*X*005010X221A1",
    ]
    checks = 0
    for start in range(0, claims, CLAIMS_PER_CHECK):
        checks += 1
        body: list[str] = []
        paid_total = 0
        for n in range(start, min(start + CLAIMS_PER_CHECK, claims)):
            lines = []
            for line in (1, 2):
                charge = rnd.randint(200, 2000) * 100
                paid = charge * rnd.randint(30, 70) // 100
                coins = (charge - paid) // 5
                co = charge - paid - coins
                lines.append((line, charge, paid, co, coins))
            charge = sum(x[1] for x in lines)
            paid = sum(x[2] for x in lines)
            paid_total += paid
            status = "22" if n % 50 == 49 else "1"
            sign = -1 if status == "22" else 1
            body += [
                f"CLP*PCN{n:07d}*{status}*{_m(sign * charge)}*{_m(sign * paid)}*0*12*"
                f"ICN{n:011d}*11*1",
                f"NM1*QC*1*PATIENT{n % 997}*ALEX****MI*MBR{n:08d}",
                "NM1*82*1*SMITH*ROBERT****XX*1999999984",
                "DTM*232*20260210",
                f"AMT*AU*{_m(charge)}",
            ]
            if status == "22":
                paid_total -= 2 * paid
            for line, lc, lp, lco, lcoins in lines:
                code = rnd.choice(CODES) + rnd.choice(MODS)
                body += [
                    f"SVC*HC:{code}*{_m(sign * lc)}*{_m(sign * lp)}**1",
                    "DTM*472*20260210",
                    f"CAS*CO*45*{_m(sign * lco)}*1*253*0",
                    f"CAS*PR*2*{_m(sign * lcoins)}",
                    f"REF*6R*{n}-{line}",
                    f"AMT*B6*{_m(lp + lcoins)}",
                    "LQ*HE*N130",
                ]
        plb = 1234
        header = [
            f"ST*835*{checks:04d}",
            f"BPR*I*{_m(paid_total - plb)}*C*ACH*CCP*01*111000025*DA*123456789*1512345678"
            "**01*222000111*DA*987654321*20260313",
            f"TRN*1*EFT{checks:010d}*1512345678",
            "DTM*405*20260312",
            "N1*PR*BENCH PAYER*XV*84980",
            "REF*2U*84980",
            "N1*PE*LONE STAR PAIN INSTITUTE*XX*1999999976",
            "LX*1",
        ]
        footer = [f"PLB*1999999976*20261231*WO:BENCH{checks}*{_m(plb)}"]
        segs = header + body + footer
        out += segs + [f"SE*{len(segs) + 1}*{checks:04d}"]
    out += [f"GE*{checks}*1", "IEA*1*000000001"]
    return "".join(s + "~\r\n" for s in out).encode("ascii")


def _m(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100}.{cents % 100:02d}".rstrip("0").rstrip(".") or "0"


def main() -> None:
    x12_throughput.main(__doc__.splitlines()[0], generate_835, load_remit_file, "bench.835")


if __name__ == "__main__":
    main()
