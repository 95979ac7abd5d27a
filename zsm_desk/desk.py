"""The application layer: one `Desk` per open database, one method per user action.

The window (from its worker threads) and the `zsm-desk` command line call the
same methods; neither holds a database session. Each method owns its
transaction (`with self.db.session() as s:`), takes "now" from the injected
clock and returns plain values (`zsm_desk.desk_types`), never ORM rows.

Everything the desk talks to is injected: the database (and through it the
clock), the account, the secret store and the mail provider. `Desk.open` is
the factory for the command line and the window; tests build a `Desk` on their
own database with a `FixedClock` and a dummy mail provider where no real SMTP
server can be reached (after Dangerzone's core/back-end split).

Sessions are made per call on the calling thread, so one `Desk` may be used
from the window's worker threads and the UI thread alike.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from zsm_desk.desk_types import (
    AuditRow,
    DecideResult,
    DecisionOpening,
    OutboxOverview,
    Pdf,
    QueueSnapshot,
    ScreeningVoorbereiding,
    SettingsState,
    SyncResult,
    VorigeScreening,
    VraagVoorbereiding,
)
from zsm_desk.domain import screening as sc
from zsm_desk.domain.access import Action, Role, allowed
from zsm_desk.domain.clock import AMSTERDAM, Clock
from zsm_desk.services.adviesvragen import adviesvragen
from zsm_desk.services.decisions import corrections
from zsm_desk.services.security import users
from zsm_desk.services.storage.db import Database

if TYPE_CHECKING:
    from zsm_desk.domain.settings import Settings
    from zsm_desk.services.adviesvragen.adviesvragen import AdviesvraagView
    from zsm_desk.services.decisions.decisions_service import (
        DecisionContext,
        DecisionInput,
        DecisionOutcome,
    )
    from zsm_desk.services.intake.instroom import ImportReport
    from zsm_desk.services.mail.outbox import SendReport, TransportFactory
    from zsm_desk.services.registers.known_clients import HitView
    from zsm_desk.services.registers.vh_info import CaseDetail
    from zsm_desk.services.security import codelist_service, retention
    from zsm_desk.services.security.retention import PurgeReport
    from zsm_desk.services.storage.audit import EntryRow
    from zsm_desk.services.storage.notify import ChangeListener
    from zsm_desk.services.storage.roles import RoleReport


class WriteFailed(Exception):
    """A requested output file could not be written (nothing was audited)."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"kan {path} niet schrijven: {reason}")
        self.path = path
        self.reason = reason


class SecretGetter(Protocol):
    """What the desk needs of a secret store (`services.keys.secrets.SecretStore`)."""

    def get(self, name: str) -> str | None: ...


def checklists_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def default_checklists_json() -> str:
    return checklists_json(sc.checklists_to_list(sc.default_checklists()))


def _bounds(
    van: dt.date | None, tot: dt.date | None
) -> tuple[dt.datetime | None, dt.datetime | None]:
    start = dt.datetime.combine(van, dt.time(0), AMSTERDAM) if van else None
    end = dt.datetime.combine(tot + dt.timedelta(days=1), dt.time(0), AMSTERDAM) if tot else None
    return start, end


@dataclass
class Desk:
    """One open database as seen by one account."""

    db: Database
    account: str
    secrets: SecretGetter | None = None  # None: the platform's default store
    #: How mail leaves: None is SMTP with the configured server; tests where no
    #: server can be reached give e.g. ``lambda smtp, pw: RecordingTransport()``.
    mail: TransportFactory | None = None

    def __post_init__(self) -> None:
        # Every kind of outbox row this desk may send has its renderer (explicit,
        # so a frozen build never misses one).
        adviesvragen.register_renderers()
        corrections.register_renderers()

    # --- opening ------------------------------------------------------------------
    @classmethod
    def open(
        cls,
        db_url: str | None = None,
        *,
        clock: Clock | None = None,
        secrets: SecretGetter | None = None,
        mail: TransportFactory | None = None,
    ) -> Desk:
        """Open (and migrate) the database; a new database makes this account beheerder."""
        from zsm_desk.app_context import open_app

        ctx = open_app(db_url, clock=clock)
        return cls(ctx.db, ctx.account, secrets, mail)

    @property
    def clock(self) -> Clock:
        return self.db.clock

    def now(self) -> dt.datetime:
        return self.db.clock.now()

    def close(self) -> None:
        self.db.dispose()

    def _store(self) -> Any:
        if self.secrets is not None:
            return self.secrets
        from zsm_desk.services.keys.secrets import default_store

        return default_store()

    def listen_for_changes(self, on_change: Callable[[Any], None]) -> ChangeListener:
        """Started listener for other desks' changes (PostgreSQL LISTEN/NOTIFY, SQLite
        polling); `on_change` runs on the listener's thread. Stop it with `.stop()`."""
        from zsm_desk.services.storage.notify import ChangeListener

        return ChangeListener(self.db.url, on_change).start()

    # --- accounts and roles ---------------------------------------------------------
    def roles(self) -> frozenset[Role]:
        with self.db.session() as s:
            return users.roles_of(s, self.account)

    def _roles(self, s: Any, roles: frozenset[Role] | None) -> frozenset[Role]:
        return roles if roles is not None else users.roles_of(s, self.account)

    def accounts(self) -> dict[str, frozenset[Role]]:
        with self.db.session() as s:
            return users.all_accounts(s)

    def set_roles(self, account: str, roles: frozenset[Role]) -> None:
        with self.db.session() as s:
            users.set_roles(s, self.account, account, roles)

    # --- the queue ------------------------------------------------------------------
    def load_queue(self) -> QueueSnapshot:
        """Roles, change token, visible rows and outbox backlog in one transaction."""
        from zsm_desk.services.intake import queue
        from zsm_desk.services.mail import outbox
        from zsm_desk.services.registers import known_clients

        with self.db.session() as s:
            roles = users.roles_of(s, self.account)
            known_clients.check_pending(s)  # a feed import by another process
            waiting = outbox.waiting_count(s)
            return QueueSnapshot(roles, queue.change_token(s), queue.load_queue(s, roles), waiting)

    def queue_token(self) -> object:
        """Changes whenever the queue would look different (poll this)."""
        from zsm_desk.services.intake import queue

        with self.db.session() as s:
            return queue.change_token(s)

    def item_detail(self, item_id: int, roles: frozenset[Role] | None = None) -> CaseDetail | None:
        from zsm_desk.services.registers import vh_info

        with self.db.session() as s:
            r = self._roles(s, roles)
            detail = vh_info.case_detail(s, item_id, account=self.account, roles=r)
            if detail is None:
                return None
            vragen = adviesvragen.item_vragen(s, item_id, account=self.account, roles=r)
            return replace(detail, open_vragen=vragen)

    # --- import and sync ---------------------------------------------------------------
    def import_instroom(self, path: str | Path, **options: Any) -> ImportReport:
        from zsm_desk.services.intake import instroom

        with self.db.session() as s:
            return instroom.import_file(s, Path(path), actor=self.account, **options)

    def import_register(self, path: str | Path) -> Any:
        from zsm_desk.services.registers import register_import

        with self.db.session() as s:
            return register_import.import_file(s, Path(path), actor=self.account)

    def match_report(self) -> list[dict[str, Any]]:
        """Per suspect the register status and the matches (no personal data)."""
        from zsm_desk.services.registers import known_clients

        with self.db.session() as s:
            return known_clients.match_report(s)

    def install_demo(
        self,
        *,
        seed: int,
        day_end: dt.datetime | None = None,
        items: int | None = None,
        work: bool = False,
        overschrijven: bool = False,
    ) -> dict[str, Any]:
        """Fill the database with a fictitious demo day; `DemoRefused` when it holds
        decisions or sent messages, unless `overschrijven`."""
        from zsm_desk.app_context import AppContext
        from zsm_desk.services.demo import demo_install

        options: dict[str, Any] = {} if items is None else {"items": items}
        summary: dict[str, Any] = demo_install.install(
            AppContext(self.db, self.account), seed=seed, day_end=day_end, work=work,
            overschrijven=overschrijven, **options,
        )  # fmt: skip
        return summary

    @staticmethod
    def init_location(
        eigenaar: str, app_rol: str, *, app_password: str | None = None
    ) -> RoleReport:
        """Set up a location's PostgreSQL: migrate as the owner, limit the application
        role. `RoleSetupError` (one Dutch line) when it cannot be done."""
        from zsm_desk.services.storage import dberrors, roles

        try:
            return roles.init_location(eigenaar, app_rol, app_password=app_password)
        except roles.RoleSetupError:
            raise
        except Exception as e:
            line = dberrors.describe_database_error(e)
            if line is None:
                raise
            raise roles.RoleSetupError(f"database niet ingericht: {line}") from None

    def known_item_ids(self) -> list[int]:
        """The suspects known at a VH (those with a plan van aanpak to print)."""
        from zsm_desk.services.printing import print_jobs

        with self.db.session() as s:
            return list(print_jobs.known_item_ids(s))

    def sync(self) -> SyncResult:
        """Fetch the feed and the register endpoints (if configured); send retries."""
        from zsm_desk.services.intake import sync
        from zsm_desk.services.mail import outbox

        store = self.secrets
        feed = sync.sync_feed(self.db, self.account, store=store)  # type: ignore[arg-type]
        regs = sync.sync_registers(self.db, self.account, store=store)  # type: ignore[arg-type]
        outbox.send_background(self.db, account=self.account, now=self.now(), transport=self.mail)
        configured = bool(feed.lines or feed.errors or regs.lines or regs.errors)
        text = "; ".join(
            x for x in (feed.summary(), regs.summary()) if x and "niets ingesteld" not in x
        )
        return SyncResult(feed.ok and regs.ok, text, configured)

    # --- hits -----------------------------------------------------------------------
    def hits_to_review(self, item_id: int) -> list[tuple[HitView, str]]:
        """The open "mogelijk" hits of a case with the VH's name."""
        from zsm_desk.services.registers import known_clients
        from zsm_desk.services.storage.config import load_settings

        with self.db.session() as s:
            names = {v.code: v.naam for v in load_settings(s).veiligheidshuizen}
            return [
                (h, names.get(h.vh_code, h.vh_code))
                for h in known_clients.hits(s, item_id)
                if h.status == "mogelijk" and h.review is None
            ]

    def review_hit(self, match_id: int, *, confirm: bool) -> None:
        from zsm_desk.services.registers import known_clients

        with self.db.session() as s:
            known_clients.review(s, match_id, confirm=confirm, actor=self.account)

    # --- printing -------------------------------------------------------------------
    def item_id_by_bvh(self, bvh_nummer: str) -> int:
        from zsm_desk.services.printing import print_jobs

        with self.db.session() as s:
            return print_jobs.item_by_bvh(s, bvh_nummer).id

    def print_plan(
        self,
        item_id: int,
        roles: frozenset[Role] | None = None,
        *,
        voorbeeld: bool = False,
        vastleggen: bool = True,
    ) -> Pdf:
        """The plan van aanpak. `voorbeeld`: audited as a view (the preview); the print
        is audited on printing. `vastleggen=False`: no audit now, the caller prints at
        once and audits with `log_print` (the window's one-action Ctrl+P)."""
        from zsm_desk.services.printing import print_jobs  # reportlab loads on first print

        with self.db.session() as s:
            pdf = print_jobs.plan_pdf(s, item_id, account=self.account,
                                      roles=self._roles(s, roles), voorbeeld=voorbeeld,
                                      vastleggen=vastleggen)  # fmt: skip
            return Pdf(pdf, f"plan-{print_jobs.bvh_of(s, item_id)}.pdf", (item_id,))

    def print_day_pack(
        self,
        item_ids: Sequence[int] | None = None,
        *,
        datum: dt.date | None = None,
        roles: frozenset[Role] | None = None,
        selectie: str = "",
        voorbeeld: bool = False,
    ) -> Pdf:
        """The plans of the known suspects among `item_ids` (or of day `datum`);
        `selectie` is the cover's line on what the pack holds."""
        from zsm_desk.services.printing import print_jobs

        with self.db.session() as s:
            r = self._roles(s, roles)
            if item_ids is not None:
                known = print_jobs.known_item_ids(s, item_ids=list(item_ids))
                pdf = print_jobs.day_pack_pdf(s, known, account=self.account, roles=r,
                                              selectie=selectie, voorbeeld=voorbeeld)  # fmt: skip
            else:
                known = print_jobs.known_item_ids(s, datum=datum)
                pdf = print_jobs.day_pack_pdf(s, known, account=self.account, roles=r, datum=datum,
                                              selectie=selectie, voorbeeld=voorbeeld)  # fmt: skip
        day = datum or self.now().astimezone(AMSTERDAM).date()
        return Pdf(pdf, f"dagpakket-{day.isoformat()}.pdf", tuple(known))

    def log_print(self, item_ids: Sequence[int], *, kind: str, title: str, target: str) -> None:
        """Audit a printed (`kind="afdruk"`) or saved PDF per case."""
        from zsm_desk.services.storage import audit

        with self.db.session() as s:
            for i in item_ids:
                audit.append(
                    s,
                    self.account,
                    audit.PRINT if kind == "afdruk" else audit.EXPORT,
                    item_id=i,
                    purpose=title,
                    detail={"naar": target},
                )

    # --- decisions ------------------------------------------------------------------
    def decision_context(
        self, item_id: int, roles: frozenset[Role] | None = None, *, correctie: bool = False
    ) -> DecisionContext:
        from zsm_desk.services.decisions import decisions_service

        with self.db.session() as s:
            return decisions_service.decision_context(
                s, item_id, account=self.account, roles=self._roles(s, roles), correctie=correctie
            )

    def open_decision(
        self,
        item_id: int,
        roles: frozenset[Role] | None = None,
        *,
        overnemen: bool = False,
        correctie: bool = False,
    ) -> DecisionOpening:
        """Claim the case (other desks see it) and give what the decision dialog shows;
        `bezet` names the desk that holds it (take over with `overnemen=True`)."""
        from zsm_desk.services.decisions import claims, decisions_service

        now = self.now()
        with self.db.session() as s:
            context = decisions_service.decision_context(
                s, item_id, account=self.account, roles=self._roles(s, roles), correctie=correctie
            )
            try:
                claims.claim(s, item_id, account=self.account, now=now, overnemen=overnemen)
            except claims.ClaimedByOther as e:
                return DecisionOpening(bezet=e.claim.label())
            return DecisionOpening(context=context, opened_at=now)

    def release_claim(self, item_id: int) -> bool:
        """Give the case free again (the dialog was closed without deciding)."""
        from zsm_desk.services.decisions import claims

        with self.db.session() as s:
            return claims.release(s, item_id, account=self.account)

    def claim_by_bvh(
        self, bvh_nummer: str, *, vrijgeven: bool = False, overnemen: bool = False
    ) -> dict[str, Any]:
        """The command line's claim: `ClaimedByOther` when another desk holds it."""
        from zsm_desk.services.decisions import claims
        from zsm_desk.services.decisions.decisions_service import item_id_by_bvh
        from zsm_desk.services.storage import dberrors

        now = self.now().astimezone(dt.UTC)
        bvh = bvh_nummer.strip().upper()

        def work(s: Any) -> dict[str, Any]:
            item_id = item_id_by_bvh(s, bvh)
            if vrijgeven:
                had = claims.release(s, item_id, account=self.account)
                return {"bvh_nummer": bvh, "vrijgegeven": had}
            c = claims.claim(s, item_id, account=self.account, now=now, overnemen=overnemen)
            return {"bvh_nummer": bvh, "account": c.account, "naam": c.naam,
                    "sinds": c.since.isoformat(timespec="seconds"), "tekst": c.label()}  # fmt: skip

        result: dict[str, Any] = dberrors.run_transaction(self.db, work)
        return result

    def decide(
        self,
        item_id: int,
        data: DecisionInput,
        roles: frozenset[Role] | None = None,
        *,
        opened_at: dt.datetime | None = None,
        correctie: bool = False,
        reden: str = "",
    ) -> DecideResult:
        """Record (or, `correctie`, correct) the decision; the terugkoppeling is then
        ready to send. `race` says so when another desk was first."""
        from zsm_desk.services.decisions import decisions_service
        from zsm_desk.services.mail import outbox
        from zsm_desk.services.storage.config import load_settings

        with self.db.session() as s:
            try:
                if correctie:
                    outcome = decisions_service.correct_decision(
                        s, item_id, data, reden=reden, account=self.account,
                        roles=self._roles(s, roles),
                    )  # fmt: skip
                else:
                    outcome = decisions_service.record_decision(
                        s, item_id, data, account=self.account, roles=self._roles(s, roles),
                        opened_at=opened_at,
                    )  # fmt: skip
            except (decisions_service.DecisionRace, decisions_service.CaseClaimed) as e:
                return DecideResult(False, race=str(e))
            except decisions_service.DecisionRefused as e:
                return DecideResult(False, tuple(e.errors))
            names = {v.code: v.naam for v in load_settings(s).veiligheidshuizen}
            previews = {m.outbox_id: outbox.preview(s, m.outbox_id)[2] for m in outcome.messages}
            return DecideResult(True, (), outcome.to_dict(), names, previews)

    def record_decision(self, bvh_nummer: str, data: DecisionInput) -> DecisionOutcome:
        """The command line's decision: by BVH number, in its own (retried) transaction.

        `DecisionRefused` with the reasons; `DecisionRace` when another desk decided
        or purged the same suspect meanwhile; `CaseClaimed` when another desk holds it.
        """
        from zsm_desk.services.decisions import decisions_service

        return decisions_service.decide_by_bvh(self.db, bvh_nummer, data, account=self.account)

    def correct_decision_by_bvh(
        self, bvh_nummer: str, data: DecisionInput, *, reden: str
    ) -> DecisionOutcome:
        """Correct the recorded decision of the suspect with this BVH number."""
        from zsm_desk.services.decisions import decisions_service

        with self.db.session() as s:
            item_id = decisions_service.item_id_by_bvh(s, bvh_nummer)
            return decisions_service.correct_decision(
                s, item_id, data, reden=reden, account=self.account,
                roles=users.roles_of(s, self.account),
            )  # fmt: skip

    # --- outbox ---------------------------------------------------------------------
    def smtp_user(self) -> str:
        from zsm_desk.services.storage.config import load_settings

        with self.db.session() as s:
            smtp = load_settings(s).smtp
            return smtp.gebruiker if smtp else ""

    def outbox_list(self) -> OutboxOverview:
        from zsm_desk.services.mail import outbox
        from zsm_desk.services.storage.config import load_settings

        with self.db.session() as s:
            names = {v.code: v.naam for v in load_settings(s).veiligheidshuizen}
            return OutboxOverview(outbox.list_messages(s), outbox.waiting_count(s), names)

    def outbox_preview(self, outbox_id: int) -> tuple[str, str, str]:
        """(subject, text, html) of one message."""
        from zsm_desk.services.mail import outbox

        with self.db.session() as s:
            return outbox.preview(s, outbox_id)

    def outbox_send(
        self, ids: Sequence[int] | None = None, roles: frozenset[Role] | None = None
    ) -> SendReport:
        """A person's "send now": failed rows included, backoff ignored."""
        from zsm_desk.services.mail import outbox

        if roles is None:
            roles = self.roles()
        return outbox.send_due(
            self.db,
            account=self.account,
            roles=roles,
            manual=True,
            ids=list(ids) if ids is not None else None,
            store=self.secrets,
            now=self.now(),
            transport=self.mail,
        )

    def outbox_release(
        self,
        outbox_id: int,
        *,
        bevestigd_onbeveiligd: bool = False,
        roles: frozenset[Role] | None = None,
    ) -> dict[str, Any]:
        """Mark a concept ready to send (confirming unsecured mail if asked)."""
        from zsm_desk.services.mail import outbox

        with self.db.session() as s:
            row = outbox.mark_ready(s, outbox_id, account=self.account,
                                    roles=self._roles(s, roles),
                                    bevestigd_onbeveiligd=bevestigd_onbeveiligd)  # fmt: skip
            return outbox.message_info(row)

    def outbox_retry(self, outbox_id: int, roles: frozenset[Role] | None = None) -> dict[str, Any]:
        from zsm_desk.services.mail import outbox

        with self.db.session() as s:
            row = outbox.retry(s, outbox_id, self.account, roles=self._roles(s, roles))
            return outbox.message_info(row)

    def outbox_export_eml(
        self,
        outbox_id: int,
        path: str | Path,
        *,
        bevestigd_onbeveiligd: bool = False,
        roles: frozenset[Role] | None = None,
    ) -> tuple[Path, dict[str, Any]]:
        """Save as .eml for the user's own mail program; counts as sent by hand."""
        from zsm_desk.services.mail import outbox

        with self.db.session() as s:
            p = outbox.export_eml(s, outbox_id, Path(path), account=self.account,
                                  roles=self._roles(s, roles),
                                  bevestigd_onbeveiligd=bevestigd_onbeveiligd,
                                  now=self.now())  # fmt: skip
            return p, outbox.message_info(outbox.get_message(s, outbox_id))

    # --- adviesvragen and screening --------------------------------------------------
    def adviesvraag_voorbereiden(
        self, item_id: int, *, vh_code: str | None = None, now: dt.datetime | None = None
    ) -> VraagVoorbereiding:
        """The question dialog's data; with `vh_code` for a refresh request."""
        from zsm_desk.domain import adviesvraag as av
        from zsm_desk.domain.freshness import freshness
        from zsm_desk.services.registers import known_clients, vh_info
        from zsm_desk.services.storage.config import load_settings

        with self.db.session() as s:
            summary = vh_info.item_summary(s, item_id)
            if summary is None:
                raise adviesvragen.NotFound(f"verdachte {item_id} niet gevonden")
            item = summary.item
            settings = load_settings(s)
            keuzes = tuple(adviesvragen.vh_keuzes(s, item_id))
            uren = {v.code: adviesvragen.office_hours(v) for v in settings.veiligheidshuizen}
            onbeveiligd = frozenset(
                v.code for v in settings.veiligheidshuizen if not v.beveiligde_mail
            )
            match_id: int | None = None
            vraag = ""
            if vh_code is not None:
                hit = known_clients.advice_hit(s, item_id, vh_code)
                if hit is None or hit[1] is None:
                    raise adviesvragen.AdviesvraagError(
                        f"geen advies van {vh_code} bij deze verdachte om te actualiseren"
                    )
                hit_id, advies_datum = hit[0], hit[1]
                today = (now or self.now()).astimezone(AMSTERDAM).date()
                verdict = freshness(advies_datum, today)
                try:
                    vraag = av.actualisatievraag(advies_datum, verdict.level, verdict.months)
                except ValueError as e:
                    raise adviesvragen.AdviesvraagError(str(e)) from None
                match_id = hit_id
            return VraagVoorbereiding(
                item_id=item_id,
                bvh_nummer=item.bvh_nummer,
                naam=item.identity.display_name(),
                keuzes=keuzes,
                kantooruren=uren,
                onbeveiligd=onbeveiligd,
                casusschets=av.casusschets(item),
                match_id=match_id,
                vraag=vraag,
                vh_code=vh_code,
            )

    def adviesvraag_nieuw(
        self,
        *,
        item_id: int,
        vh_code: str,
        vraag: str,
        termijn: Any,
        verzenden: bool,
        roles: frozenset[Role] | None = None,
        now: dt.datetime | None = None,
        **options: Any,
    ) -> AdviesvraagView:
        """A new question to a VH (`options`: `per`, `casusschets` of `adviesvragen.nieuw`)."""
        with self.db.session() as s:
            return adviesvragen.nieuw(
                s, item_id=item_id, vh_code=vh_code, vraag=vraag, termijn=termijn,
                account=self.account, roles=self._roles(s, roles), verzenden=verzenden,
                now=now or self.now(), **options,
            )  # fmt: skip

    def adviesvraag_actualisatie(
        self,
        *,
        match_id: int,
        termijn: Any,
        vraag: str | None = None,
        verzenden: bool,
        roles: frozenset[Role] | None = None,
        now: dt.datetime | None = None,
    ) -> AdviesvraagView:
        """Ask a VH to refresh an outdated advice."""
        with self.db.session() as s:
            return adviesvragen.actualisatie(
                s, match_id=match_id, termijn=termijn, account=self.account,
                roles=self._roles(s, roles), vraag=vraag, verzenden=verzenden,
                now=now or self.now(),
            )  # fmt: skip

    def adviesvragen(
        self,
        *,
        alleen_open: bool = True,
        alle: bool | None = False,
        item_id: int | None = None,
        roles: frozenset[Role] | None = None,
        now: dt.datetime | None = None,
    ) -> list[AdviesvraagView]:
        options: dict[str, Any] = {} if item_id is None else {"item_id": item_id}
        with self.db.session() as s:
            return adviesvragen.lijst(
                s, account=self.account, roles=self._roles(s, roles), now=now or self.now(),
                alleen_open=alleen_open, alle=alle, **options,
            )  # fmt: skip

    def adviesvraag_verzend(
        self, vraag_id: int, roles: frozenset[Role] | None = None, **values: Any
    ) -> AdviesvraagView:
        return self._adviesvraag_action("verzend", vraag_id, roles, values)

    def adviesvraag_antwoord(
        self, vraag_id: int, roles: frozenset[Role] | None = None, **values: Any
    ) -> AdviesvraagView:
        """Record the VH's answer (`adviesvragen.registreer_antwoord` values)."""
        return self._adviesvraag_action("registreer_antwoord", vraag_id, roles, values)

    def besluit_zonder_advies(
        self, vraag_id: int, roles: frozenset[Role] | None = None, **values: Any
    ) -> AdviesvraagView:
        return self._adviesvraag_action("besluit_zonder_advies", vraag_id, roles, values)

    def _adviesvraag_action(
        self, name: str, vraag_id: int, roles: frozenset[Role] | None, values: dict[str, Any]
    ) -> AdviesvraagView:
        actions: dict[str, Callable[..., AdviesvraagView]] = {
            "verzend": adviesvragen.verzend,
            "registreer_antwoord": adviesvragen.registreer_antwoord,
            "besluit_zonder_advies": adviesvragen.besluit_zonder_advies,
        }
        action = actions[name]
        values.setdefault("now", self.now())
        with self.db.session() as s:
            return action(s, vraag_id, account=self.account, roles=self._roles(s, roles), **values)

    def adviesvraag_item_id(self, bvh_nummer: str) -> int:
        with self.db.session() as s:
            return adviesvragen.item_by_bvh(s, bvh_nummer).id

    def screening_voorbereiden(self, item_id: int) -> ScreeningVoorbereiding:
        from zsm_desk.domain.records import MatchStatus
        from zsm_desk.services.adviesvragen import screening_service
        from zsm_desk.services.registers import known_clients, vh_info
        from zsm_desk.services.storage.config import load_settings

        with self.db.session() as s:
            summary = vh_info.item_summary(s, item_id)
            if summary is None:
                raise screening_service.ScreeningError(f"verdachte {item_id} niet gevonden")
            settings = load_settings(s)
            vh = settings.vh_for_gemeente(summary.gemeente)
            namen = {v.code: v.naam for v in settings.veiligheidshuizen}
            bekend = sorted(
                {
                    namen.get(code, code)
                    for code in known_clients.vh_codes_with_status(s, item_id, MatchStatus.BEKEND)
                }
            )
            vorige = {
                r.checklist: VorigeScreening(
                    r.checklist, frozenset(c["code"] for c in r.criteria), r.voorstel, r.door, r.op
                )
                for r in screening_service.screenings(s, item_id, alleen_laatste=True)
            }
            return ScreeningVoorbereiding(
                item_id=item_id,
                bvh_nummer=summary.item.bvh_nummer,
                naam=summary.item.identity.display_name(),
                gemeente=summary.gemeente,
                checklists=tuple(screening_service.load_checklists(s)),
                gemeente_vh=(vh.code, vh.naam) if vh is not None else None,
                bekend_bij=tuple(bekend),
                mogelijk_complex=summary.mogelijk_complex,
                vorige=vorige,
            )

    def screen(
        self,
        item_id: int,
        checklist: str,
        criteria: Sequence[str],
        roles: frozenset[Role] | None = None,
    ) -> tuple[sc.ScreeningOutcome, Any]:
        """Record a screening (aanmelding): the outcome and the stored row's view."""
        from zsm_desk.services.adviesvragen import screening_service

        with self.db.session() as s:
            return screening_service.screen(
                s, item_id, checklist, list(criteria), account=self.account,
                roles=self._roles(s, roles),
            )  # fmt: skip

    # --- monitor --------------------------------------------------------------------
    def monitor_figures(self, van: dt.date, tot: dt.date) -> Any:
        from zsm_desk.services.monitoring import monitoring

        with self.db.session() as s:
            return monitoring.figures(s, van, tot, roles=users.roles_of(s, self.account))

    def monitor_export(
        self,
        van: dt.date,
        tot: dt.date,
        outputs: dict[str, Path],
        *,
        shown: Sequence[str] = (),
    ) -> Any:
        """Compute once, write each format (0600, atomic), audit one line; the figures."""
        from zsm_desk.services.monitoring import monitoring
        from zsm_desk.services.storage.files import write_private

        with self.db.session() as s:
            roles = users.roles_of(s, self.account)
            f = monitoring.figures(s, van, tot, roles=roles)
            rendered = {
                fmt: monitoring.render(f, fmt, account=self.account, now=self.now())
                for fmt in outputs
            }
            for fmt, path in outputs.items():
                try:
                    write_private(Path(path), rendered[fmt])
                except OSError as e:
                    raise WriteFailed(Path(path), e.strerror or type(e).__name__) from None
            if outputs or shown:
                monitoring.audit_export(s, self.account, f, [*outputs, *shown])
            return f

    # --- audit ----------------------------------------------------------------------
    def _require_audit(self, s: Any) -> None:
        if not allowed(users.roles_of(s, self.account), Action.AUDIT):
            raise users.NotAllowed("alleen een beheerder mag de audittrail inzien")

    def audit_rows(
        self, van: dt.date | None, tot: dt.date | None, limit: int = 5000
    ) -> list[AuditRow] | None:
        """The entries of a period, newest first; None for a non-beheerder."""
        from zsm_desk.services.storage import audit

        with self.db.session() as s:
            if not allowed(users.roles_of(s, self.account), Action.AUDIT):
                return None
            start, end = _bounds(van, tot)
            return [
                _audit_row(r)
                for r in audit.list_entries(s, van_utc=start, tot_utc=end, limit=limit)
            ]

    def audit_verify(self, *, new_anchor: bool = False) -> Any:
        """Check the hash chain of the audit trail; `new_anchor`: the beheerder confirms
        a new database at a known address (what this desk saw of the old one is forgotten)."""
        from zsm_desk.services.storage import audit

        with self.db.session() as s:
            return audit.verify(s, new_anchor=new_anchor)

    def audit_export(
        self,
        path: str | Path,
        data: bytes,
        *,
        regels: int,
        van: dt.date | None,
        tot: dt.date | None,
    ) -> int:
        """Write the CSV (0600) and audit the export; beheerder only."""
        from zsm_desk.services.storage import audit
        from zsm_desk.services.storage.files import write_private

        with self.db.session() as s:
            if not allowed(users.roles_of(s, self.account), Action.AUDIT):
                raise users.NotAllowed("alleen een beheerder mag de audittrail exporteren")
            write_private(Path(path), data)
            audit.append(s, self.account, audit.EXPORT, purpose="export audittrail (CSV)",
                         detail={"soort": "audittrail", "regels": regels,
                                 "van": van.isoformat() if van else None,
                                 "tot": tot.isoformat() if tot else None})  # fmt: skip
            return regels

    # --- settings -------------------------------------------------------------------
    def settings(self) -> Settings:
        from zsm_desk.services.storage.config import load_settings

        with self.db.session() as s:
            return load_settings(s)

    def settings_state(self, store: Any | None = None) -> SettingsState:
        """Everything the settings dialog needs; nothing at all for a non-beheerder.

        `store`: the secret store to ask whether an SMTP password is set (default
        the desk's own)."""
        from zsm_desk.services.security import codelist_service, retention
        from zsm_desk.services.storage import config

        store = store if store is not None else self._store()
        with self.db.session() as s:
            if Role.BEHEERDER not in users.roles_of(s, self.account):
                return SettingsState(may_manage=False)
            accounts = users.all_accounts(s)
            try:
                has_pw = bool(store.get("smtp"))
            except Exception:  # a locked keyring: the field just says "not known"
                has_pw = False
            cl_json, cl_std, cl_fout = _checklists_raw(s)
            status = store.status() if hasattr(store, "status") else ""
            return SettingsState(may_manage=True, settings=config.load_settings(s),
                                 periods=retention.load_periods(s), accounts=accounts,
                                 store_status=status, smtp_password_set=has_pw,
                                 codelist=codelist_service.load_codelist_rows(s),
                                 checklists_json=cl_json, checklists_standaard=cl_std,
                                 checklists_fout=cl_fout)  # fmt: skip

    def save_settings(
        self,
        settings: Settings,
        *,
        periods: retention.Bewaartermijnen | None = None,
        roles_changed: dict[str, frozenset[Role]] | None = None,
        reason: str = "instellingen gewijzigd in het venster",
    ) -> int:
        """Save settings, retention periods and role changes in one transaction."""
        from zsm_desk.services.security import retention
        from zsm_desk.services.storage import config

        changed = roles_changed or {}
        with self.db.session() as s:
            if Role.BEHEERDER not in users.roles_of(s, self.account):
                raise users.NotAllowed("alleen een beheerder mag instellingen wijzigen")
            config.save_settings(s, settings, self.account, reason)
            if periods is not None:
                retention.save_periods(s, periods, self.account)
            for acc in sorted(changed):
                users.set_roles(s, self.account, acc, changed[acc])
            return len(changed)

    def import_config(self, path: str | Path) -> Settings:
        """Read, validate and store a configuration file (beheerder only).

        `ConfigError` when the file is refused (nothing changes), `NotAllowed`
        for another role."""
        from zsm_desk.services.storage import config

        settings = config.parse_toml_file(Path(path))
        with self.db.session() as s:
            if Role.BEHEERDER not in users.roles_of(s, self.account):
                raise users.NotAllowed("alleen een beheerder mag de configuratie wijzigen")
            config.save_settings(s, settings, self.account, f"configuratie uit {Path(path).name}")
        return settings

    def export_config(self) -> str:
        """The stored configuration as TOML text."""
        from zsm_desk.services.storage import config

        with self.db.session() as s:
            return config.export_toml(config.load_settings(s))

    def save_codelist(self, rows: Any, sepotcodes: Any) -> codelist_service.StoredCodeList:
        from zsm_desk.services.security import codelist_service

        with self.db.session() as s:
            codelist_service.save_codelist(s, rows, sepotcodes, self.account)
            return codelist_service.load_codelist_rows(s)

    def save_checklists(self, checklists: Sequence[sc.Checklist]) -> tuple[str, bool, str]:
        """Store the screening checklists (the defaults: back to standard); the raw state."""
        from zsm_desk.services.adviesvragen import screening_service

        standaard = sc.checklists_to_list(list(checklists)) == sc.checklists_to_list(
            sc.default_checklists()
        )
        with self.db.session() as s:
            roles = users.roles_of(s, self.account)
            if standaard:
                screening_service.reset_checklists(s, account=self.account, roles=roles)
            else:
                screening_service.save_checklists(
                    s, list(checklists), account=self.account, roles=roles
                )
            return _checklists_raw(s)

    # --- retention ------------------------------------------------------------------
    def retention_if_due(self) -> PurgeReport | None:
        """The retention run, at most once per calendar day."""
        from zsm_desk.services.security import retention

        return retention.run_if_due(self.db, self.account, now=self.now())


def _checklists_raw(s: Any) -> tuple[str, bool, str]:
    """(JSON text, standaard, problem): the raw stored value, also when it is invalid."""
    from zsm_desk.services.adviesvragen import screening_service
    from zsm_desk.services.storage.config import get_setting

    value = get_setting(s, screening_service.SETTING_KEY)
    if value is None:
        return default_checklists_json(), True, ""
    try:
        sc.checklists_from_list(value)
        fout = ""
    except ValueError as e:
        fout = str(e)
    return checklists_json(value), False, fout


def _audit_row(r: EntryRow) -> AuditRow:
    return AuditRow(
        id=r.id,
        at=r.at,
        account=r.account,
        action=r.action,
        item_id=r.item_id,
        purpose=r.purpose or "",
        detail=json.dumps(
            r.detail or {}, ensure_ascii=False, sort_keys=True, separators=(", ", ": ")
        ),
    )
