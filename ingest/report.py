"""What a load did: one FileResult per file, gathered in a LoadReport."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class FileResult:
    kind: str
    file_name: str
    file_sha256: str
    # loaded | loaded_with_quarantine | rejected | flagged | duplicate | ignored (not an
    # extract: an unknown folder, a file outside a kind's folder, a non-CSV in a CSV folder)
    status: str
    rows_loaded: int = 0
    rows_quarantined: int = 0
    message: str = ""
    extra_columns: list[str] = field(default_factory=list)


@dataclass
class LoadReport:
    files: list[FileResult] = field(default_factory=list)

    @property
    def files_loaded(self) -> int:
        return sum(f.status not in ("duplicate", "rejected", "ignored") for f in self.files)

    @property
    def rows_loaded(self) -> int:
        return sum(f.rows_loaded for f in self.files)

    @property
    def rows_quarantined(self) -> int:
        return sum(f.rows_quarantined for f in self.files)

    def summary_lines(self) -> list[str]:
        lines = []
        for f in self.files:
            line = (
                f"{f.status:<22} {f.kind:<17} {f.file_name}: "
                f"{f.rows_loaded} loaded, {f.rows_quarantined} quarantined"
            )
            if f.message:
                line += f" ({f.message})"
            lines.append(line)
        return lines
