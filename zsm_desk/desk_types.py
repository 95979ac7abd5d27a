"""Plain results of the `Desk` methods: what the window and the command line get
back. No ORM rows, no sessions; frozen dataclasses that cross threads safely."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from zsm_desk.domain import screening as sc
from zsm_desk.domain.access import Role
from zsm_desk.domain.clock import AMSTERDAM
from zsm_desk.domain.deadlines import OfficeHours
from zsm_desk.services.security import codelist_service, retention

if TYPE_CHECKING:
    from zsm_desk.domain.settings import Settings
    from zsm_desk.services.adviesvragen.adviesvragen import VhKeuze


@dataclass(frozen=True)
class QueueSnapshot:
    """One load of the verdachtenmonitor: roles, change token, rows, outbox backlog."""

    roles: frozenset[Role]
    token: object
    rows: list[Any]
    waiting: int


@dataclass(frozen=True)
class Pdf:
    """A rendered PDF with the file name to suggest and the cases it covers."""

    data: bytes
    name: str
    item_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class SyncResult:
    ok: bool
    text: str
    configured: bool


@dataclass(frozen=True)
class DecideResult:
    """`ok` with the outcome (dict), VH names and previews; otherwise the reasons."""

    ok: bool
    errors: tuple[str, ...] = ()
    outcome: dict[str, Any] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    previews: dict[int, str] = field(default_factory=dict)
    #: Another desk decided, purged or holds the case meanwhile: the one line to show.
    race: str = ""


@dataclass(frozen=True)
class DecisionOpening:
    """The decision dialog may open (`context`), or another desk holds the case (`bezet`)."""

    context: Any = None  # decisions_service.DecisionContext
    bezet: str = ""
    opened_at: dt.datetime | None = None


@dataclass(frozen=True)
class OutboxOverview:
    rows: list[dict[str, Any]]
    waiting: int
    #: VH code → name, to show "Naam (CODE)".
    names: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class VraagVoorbereiding:
    """Everything `NewAdviesvraagDialog` shows, loaded in one worker job."""

    item_id: int
    bvh_nummer: str
    naam: str
    keuzes: tuple[VhKeuze, ...]  # the suspect's VHs first (`vh_keuzes`)
    kantooruren: dict[str, OfficeHours]  # per VH code, for the live deadline
    onbeveiligd: frozenset[str]  # VH codes without secure mail
    casusschets: str  # the service's case sketch (`adviesvraag.casusschets`)
    # A refresh request (`actualisatie`): the hit on the outdated advice, the
    # prepared question and the fixed VH.
    match_id: int | None = None
    vraag: str = ""
    vh_code: str | None = None

    @property
    def actualisatie(self) -> bool:
        return self.match_id is not None


@dataclass(frozen=True)
class VorigeScreening:
    checklist: str
    criteria: frozenset[str]
    voorstel: bool
    door: str
    op: dt.datetime


@dataclass(frozen=True)
class ScreeningVoorbereiding:
    """Everything `ScreeningDialog` shows, loaded in one worker job."""

    item_id: int
    bvh_nummer: str
    naam: str
    gemeente: str
    checklists: tuple[sc.Checklist, ...]
    gemeente_vh: tuple[str, str] | None  # (code, naam) of the VH serving the gemeente
    bekend_bij: tuple[str, ...]  # names of VHs that know the suspect (bekend/confirmed)
    mogelijk_complex: bool
    vorige: dict[str, VorigeScreening] = field(default_factory=dict)  # latest per checklist


@dataclass(frozen=True, slots=True)
class AuditRow:
    id: int
    at: dt.datetime  # aware UTC
    account: str
    action: str
    item_id: int | None
    purpose: str
    detail: str  # compact JSON

    @property
    def at_text(self) -> str:
        return self.at.astimezone(AMSTERDAM).strftime("%d-%m-%Y %H:%M:%S")


@dataclass(frozen=True)
class SettingsState:
    """Everything the settings dialog needs; `may_manage=False` carries nothing else."""

    may_manage: bool
    settings: Settings | None = None
    periods: retention.Bewaartermijnen = field(default_factory=retention.Bewaartermijnen)
    accounts: dict[str, frozenset[Role]] = field(default_factory=dict)
    store_status: str = ""
    smtp_password_set: bool = False
    codelist: codelist_service.StoredCodeList | None = None
    #: The stored screening checklists as pretty-printed JSON (the defaults if none).
    checklists_json: str = ""
    checklists_standaard: bool = True
    #: Why the stored checklists no longer validate (Dutch), or "".
    checklists_fout: str = ""
