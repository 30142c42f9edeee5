"""What adding papers did, paper by paper, for the command to report."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass
class AddReport:
    """What an add, sync or refresh did, paper by paper."""

    stored: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    planned: dict[str, str] = field(default_factory=dict)
    moved: dict[str, str] = field(default_factory=dict)
    changes: dict[str, list[str]] = field(default_factory=dict)
    updates: dict[str, list[str]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    missing_versions: dict[str, tuple[int, int]] = field(default_factory=dict)  # asked, latest
    links_found: dict[str, dict[str, str]] = field(default_factory=dict)
    links_not_indexed: list[str] = field(default_factory=list)
    links_queued: list[str] = field(default_factory=list)
    links_problem: str | None = None
    links_ignored: dict[str, list[str]] = field(default_factory=dict)  # Hugging Face fields
    refs_found: dict[str, list[str]] = field(default_factory=dict)  # the stored papers cited
    refs_not_indexed: list[str] = field(default_factory=list)  # unknown to Semantic Scholar
    refs_problem: str | None = None
    challenge_created: bool = False
    unavailable: str | None = None
    interrupted: bool = False
    requests: int = 0

    @property
    def failed(self) -> bool:
        return bool(self.not_found or self.pending or self.unavailable or self.interrupted)

    def placed(self, paper_id: str, day: date | None, moved: list[tuple[str, date]]) -> None:
        if day is not None:
            self.planned[paper_id] = day.isoformat()
        self.moved.update((other, other_day.isoformat()) for other, other_day in moved)
