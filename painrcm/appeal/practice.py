"""The practice's letterhead: a TOML file, else what the payer's remit says of the payee.

The file is `practice.toml` beside the warehouse, or the path in PAINRCM_PRACTICE_CONFIG:

    [practice]
    name = "Hill Country Spine and Pain Associates"
    address = ["1200 Medical Pkwy Ste 300", "Austin, TX 78731-1234"]
    phone = "512-555-0100"
    npi = "1558291835"        # group (billing) NPI
    tin = "741234567"
    contact = "Billing office"  # who signs the letter

Without the file the 835's payee loop supplies what it carries (N1*PE name and NPI, N3/N4
address, REF*TJ tax id) and the packet says so; a file always wins.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

CONFIG_ENV = "PAINRCM_PRACTICE_CONFIG"


@dataclass
class Practice:
    name: str
    address: list[str] = field(default_factory=list)
    phone: str | None = None
    npi: str | None = None
    tin: str | None = None
    contact: str = "Billing office"


def config_path(warehouse: Path) -> Path:
    env = os.environ.get(CONFIG_ENV)
    return Path(env) if env else Path(warehouse).resolve().parent / "practice.toml"


def read_config(path: Path) -> Practice:
    try:
        doc = tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path}: not valid TOML: {exc}") from exc
    section = doc.get("practice")
    if not isinstance(section, dict) or not section.get("name"):
        raise ValueError(f'{path}: needs a [practice] table with at least name = "..."')
    address = section.get("address", [])
    if isinstance(address, str):
        address = [address]
    return Practice(
        name=str(section["name"]),
        address=[str(a) for a in address],
        phone=section.get("phone"),
        npi=None if section.get("npi") is None else str(section["npi"]),
        tin=None if section.get("tin") is None else str(section["tin"]),
        contact=str(section.get("contact", "Billing office")),
    )


def _from_remit(con, transaction_id: str) -> Practice | None:
    segs = con.execute(
        "select segment_id, elements from raw.x12_segments where transaction_id = ? "
        "and segment_id in ('N1', 'N3', 'N4', 'REF') and clp_position is null "
        "order by segment_position",
        [transaction_id],
    ).fetchall()
    practice, inside = None, False
    for sid, el in segs:
        el = list(el or [])
        if sid == "N1":
            inside = bool(el) and el[0] == "PE"
            if inside:
                practice = Practice(name=el[1] if len(el) > 1 else "")
                if len(el) > 3 and el[2] == "XX":
                    practice.npi = el[3]
            continue
        if not inside or practice is None:
            continue
        if sid == "N3":
            practice.address.extend(e for e in el if e)
        elif sid == "N4":
            city, state, zip_code = (el + [None, None, None])[:3]
            z = zip_code or ""
            z = f"{z[:5]}-{z[5:]}" if len(z) == 9 and z.isdigit() else z
            practice.address.append(f"{city or ''}, {state or ''} {z}".strip(" ,"))
        elif sid == "REF" and len(el) > 1 and el[0] == "TJ":
            practice.tin = el[1]
    return practice


def load_practice(warehouse: Path, con, transaction_id: str) -> tuple[Practice, str]:
    """(practice, where it came from)."""
    path = config_path(warehouse)
    if path.exists():
        return read_config(path), str(path)
    found = _from_remit(con, transaction_id)
    if found is None or not found.name:
        raise ValueError(f"no letterhead: write {path} ([practice] name, address, phone, npi, tin)")
    return found, "the payee loop of the payer's remit"
