"""Instellingen for the beheerder: location, VH directory, SMTP, feed, retention, roles,
the code list of decisions and the screening checklists.

Everything is loaded and saved through `run_in_worker(fn, on_done, on_error)`
(the window's `DbWorker.submit`): `fn(session)` runs off the UI thread, so are
the connection tests. The directory is validated as a whole with
`validate_config` before anything is saved; problems are listed in Dutch and
nothing changes. Passwords go only to the SecretStore, never to the database.
An account without the beheerder role sees a read-only message and nothing else.

The tabs "Beslissingen" and "Screeningslijsten" are saved on their own (their
own "Opslaan" button; the dialog's button is hidden there): each is validated
as a whole (`codelist_service.validate_codelist`, `screening.checklists_from_list`)
and nothing is stored on an error. "Standaard herstellen" puts the built-in list
in the editor; saving it removes the stored list so the defaults apply again.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt, QTime, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTimeEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from zsm_desk.domain import screening as sc
from zsm_desk.domain.access import ROLE_LABELS, Role
from zsm_desk.domain.decisions import DEFAULT_SEPOTCODES, BeslissingSoort, CodeListError, Eis
from zsm_desk.domain.settings import ConfigError, Settings, validate_config
from zsm_desk.services.adviesvragen import screening_service
from zsm_desk.services.security import codelist_service, retention, users
from zsm_desk.services.security.secrets import SecretStore, default_store
from zsm_desk.services.storage import config
from zsm_desk.ui import a11y, theme
from zsm_desk.ui.theme import State
from zsm_desk.ui.worker import emit

OnDone = Callable[[Any], None]
OnError = Callable[[str], None]
RunInWorker = Callable[[Callable[[Any], Any], OnDone | None, OnError | None], Any]
SmtpTester = Callable[..., tuple[bool, str]]
HttpTester = Callable[..., tuple[bool, str]]

ROLE_ORDER = (Role.KPC, Role.PARKETSECRETARIS, Role.OFFICIER, Role.BEHEERDER)
VH_COLUMNS = ("Code", "Naam", "Mailbox", "Gemeenten", "Telefoon", "Bereikbaar",
              "Beveiligde mail", "Terugkoppeling", "Register-URL", "CA-bestand")  # fmt: skip
CODELIST_COLUMNS = ("Code", "Label", "Soort", "Volwassenen", "Minderjarigen", "Intake",
                    "Sepotcode", "Voorwaarden")  # fmt: skip
#: Codelist columns: (key, kind) with kind "text", "bool" or a tuple of choices.
CODELIST_FIELDS: tuple[tuple[str, Any], ...] = (
    ("code", "text"), ("label", "text"),
    ("soort", tuple(e.value for e in BeslissingSoort)),
    ("volwassenen", "bool"), ("minderjarigen", "bool"), ("intake", "bool"),
    ("sepotcode", tuple(e.value for e in Eis)), ("voorwaarden", tuple(e.value for e in Eis)),
)  # fmt: skip
CODELIST_DEFAULTS: dict[str, Any] = {"code": "", "label": "", "soort": "afdoening",
                                     "volwassenen": True, "minderjarigen": True, "intake": False,
                                     "sepotcode": "nee", "voorwaarden": "toegestaan"}  # fmt: skip
TAB_CODELIST = "Beslissingen"
TAB_SCREENING = "Screeningslijsten"
READ_ONLY_MESSAGE = (
    "Alleen een beheerder kan de instellingen bekijken en wijzigen. "
    "Vraag de beheerder van deze ZSM-locatie om hulp."
)


@dataclass(frozen=True)
class SettingsState:
    """What the dialog shows, loaded in the worker (plain values only)."""

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


def checklists_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def default_checklists_json() -> str:
    return checklists_json(sc.checklists_to_list(sc.default_checklists()))


def _load_checklists_raw(session: Any) -> tuple[str, bool, str]:
    """(JSON text, standaard, problem): the raw stored value, also when it is invalid."""
    from zsm_desk.services.storage.config import get_setting

    value = get_setting(session, screening_service.SETTING_KEY)
    if value is None:
        return default_checklists_json(), True, ""
    try:
        sc.checklists_from_list(value)
        fout = ""
    except ValueError as e:
        fout = str(e)
    return checklists_json(value), False, fout


def load_state(session: Any, account: str, store: SecretStore | None = None) -> SettingsState:
    """Worker side: everything the dialog needs; nothing at all for a non-beheerder."""
    if Role.BEHEERDER not in users.roles_of(session, account):
        return SettingsState(may_manage=False)
    accounts = users.all_accounts(session)
    store = store or default_store()
    try:
        has_pw = bool(store.get("smtp"))
    except Exception:  # a locked keyring: the field just says "not known"
        has_pw = False
    cl_json, cl_std, cl_fout = _load_checklists_raw(session)
    return SettingsState(may_manage=True, settings=config.load_settings(session),
                         periods=retention.load_periods(session), accounts=accounts,
                         store_status=store.status(), smtp_password_set=has_pw,
                         codelist=codelist_service.load_codelist_rows(session),
                         checklists_json=cl_json, checklists_standaard=cl_std,
                         checklists_fout=cl_fout)  # fmt: skip


def _status(label: QLabel, ok: bool | None, text: str) -> None:
    color = "" if ok is None else theme.hex_fg(State.OK if ok else State.ERROR)
    label.setStyleSheet(f"color:{color}" if color else "")
    label.setText(text)


class SettingsDialog(QDialog):
    """The beheerder's settings. `saved` is emitted after a successful save."""

    saved = Signal()

    def __init__(self, account: str, run_in_worker: RunInWorker, parent: QWidget | None = None,
                 *, store: SecretStore | None = None, run_network: RunInWorker | None = None,
                 smtp_tester: SmtpTester | None = None,
                 http_tester: HttpTester | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("SettingsDialog")
        self.setWindowTitle("Instellingen — ZSM Desk")
        self.account = account
        self._run = run_in_worker
        self._run_net = run_network or run_in_worker
        self._store = store
        self._smtp_tester = smtp_tester
        self._http_tester = http_tester
        self.state: SettingsState | None = None
        self._vhs: list[dict[str, Any]] = []
        self._vh_row = -1
        self._role_baseline: dict[str, frozenset[Role]] = {}
        self._codelist_dirty = False
        self._screening_dirty = False

        outer = QVBoxLayout(self)
        self.message = QLabel("Instellingen laden…")
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        outer.addWidget(self.message)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("tabs")
        self.tabs.addTab(self._build_general(), "Algemeen")
        self.tabs.addTab(self._build_vh(), "Veiligheidshuizen")
        self.tabs.addTab(self._build_smtp(), "SMTP")
        self.tabs.addTab(self._build_feed(), "Feed")
        self.tabs.addTab(self._build_retention(), "Bewaartermijnen")
        self.tabs.addTab(self._build_roles(), "Gebruikers en rollen")
        self.tabs.addTab(self._build_codelist(), TAB_CODELIST)
        self.tabs.addTab(self._build_screening(), TAB_SCREENING)
        self._own_save_tabs = (self.tabs.count() - 2, self.tabs.count() - 1)
        self.tabs.currentChanged.connect(self._tab_changed)
        self.tabs.setVisible(False)
        outer.addWidget(self.tabs, 1)
        self.problems = QListWidget()
        self.problems.setObjectName("problems")
        self.problems.setVisible(False)
        self.problems.setMaximumHeight(110)
        self.problems.setStyleSheet(theme.css(State.ERROR))
        outer.addWidget(self.problems)
        self.buttons = QDialogButtonBox()
        self.save_btn = self.buttons.addButton("&Opslaan", QDialogButtonBox.ButtonRole.ApplyRole)
        self.save_btn.setObjectName("save")
        self.save_btn.setEnabled(False)
        self.save_btn.clicked.connect(self.save)
        close = self.buttons.addButton("&Sluiten", QDialogButtonBox.ButtonRole.RejectRole)
        close.clicked.connect(self.reject)
        outer.addWidget(self.buttons)
        self.resize(980, 640)
        self.reload()

    # --- construction -----------------------------------------------------------------
    def _build_general(self) -> QWidget:
        w = QWidget()
        form = QFormLayout(w)
        self.locatie = QLineEdit()
        self.locatie.setObjectName("zsm_locatie")
        self.locatie.setPlaceholderText("bijv. ZSM Midden-Nederland")
        self.deadline = QSpinBox()
        self.deadline.setObjectName("deadline_uren")
        self.deadline.setRange(1, 168)
        self.deadline.setSuffix(" uur")
        self.deadline.setMaximumWidth(120)
        form.addRow("ZSM-locatie:", self.locatie)
        form.addRow("Norm wachtrij (aftellen):", self.deadline)
        return w

    def _build_vh(self) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        self.vh_table = QTableWidget(0, len(VH_COLUMNS))
        self.vh_table.setObjectName("vhTable")
        a11y.name(self.vh_table, "Veiligheidshuizen")
        self.vh_table.setHorizontalHeaderLabels(list(VH_COLUMNS))
        self.vh_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.vh_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.vh_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.vh_table.verticalHeader().setVisible(False)
        self.vh_table.horizontalHeader().setStretchLastSection(True)
        self.vh_table.currentCellChanged.connect(lambda r, _c, _pr, _pc: self._select_vh(r))
        lay.addWidget(self.vh_table, 1)
        row = QHBoxLayout()
        self.vh_add = QPushButton("Veiligheidshuis &toevoegen")
        self.vh_add.clicked.connect(self.add_vh)
        self.vh_remove = QPushButton("&Verwijderen")
        self.vh_remove.clicked.connect(self.remove_vh)
        row.addWidget(self.vh_add)
        row.addWidget(self.vh_remove)
        row.addStretch(1)
        lay.addLayout(row)

        self.vh_form = QGroupBox("Gegevens van het gekozen veiligheidshuis")
        form = QFormLayout(self.vh_form)
        self.vh_fields: dict[str, QLineEdit] = {}
        for key, label, hint in (
            ("code", "Code:", "VH-UTR"),
            ("naam", "Naam:", "Veiligheidshuis Regio Utrecht"),
            ("mailbox", "Centrale mailbox:", "centraal@vh-utrecht.example.org"),
            ("gemeenten", "Gemeenten:", "Utrecht, Nieuwegein, Zeist"),
            ("telefoon", "Telefoon:", "030-0000000"),
            ("bereikbaar", "Bereikbaar:", "ma-vr 08:30-17:00"),
        ):
            e = QLineEdit()
            e.setObjectName(f"vh_{key}")
            e.setPlaceholderText(hint)
            e.textEdited.connect(lambda _t, k=key: self._vh_edited(k))
            self.vh_fields[key] = e
            form.addRow(label, e)
        self.vh_secure = QCheckBox("Beveiligde mail (TLS afgedwongen)")
        self.vh_secure.setObjectName("vh_beveiligde_mail")
        self.vh_secure.toggled.connect(lambda _on: self._vh_edited("beveiligde_mail"))
        form.addRow("", self.vh_secure)
        tk = QHBoxLayout()
        self.vh_tk = QComboBox()
        self.vh_tk.setObjectName("vh_terugkoppeling")
        a11y.name(self.vh_tk, "Terugkoppeling", "Direct of dagelijks in één overzicht")
        self.vh_tk.addItems(["direct", "dagelijks"])
        self.vh_tk_time = QTimeEdit(QTime(16, 0))
        self.vh_tk_time.setObjectName("vh_terugkoppeling_tijd")
        a11y.name(self.vh_tk_time, "Tijdstip van het dagoverzicht")
        self.vh_tk_time.setDisplayFormat("HH:mm")
        self.vh_tk.currentIndexChanged.connect(lambda _i: self._vh_edited("terugkoppeling"))
        self.vh_tk_time.timeChanged.connect(lambda _t: self._vh_edited("terugkoppeling"))
        tk.addWidget(self.vh_tk)
        tk.addWidget(QLabel("om"))
        tk.addWidget(self.vh_tk_time)
        tk.addStretch(1)
        form.addRow("Terugkoppeling:", tk)
        reg = QHBoxLayout()
        self.vh_url = QLineEdit()
        self.vh_url.setObjectName("vh_register_url")
        a11y.name(self.vh_url, "Register-URL", "Optioneel")
        self.vh_url.setPlaceholderText("https://vh.example.org/api (optioneel)")
        self.vh_url.textEdited.connect(lambda _t: self._vh_edited("register_url"))
        self.vh_test = QPushButton("&Register testen")
        self.vh_test.setObjectName("vh_test")
        self.vh_test.clicked.connect(self.test_register)
        reg.addWidget(self.vh_url, 1)
        reg.addWidget(self.vh_test)
        form.addRow("Register-URL:", reg)
        ca = QHBoxLayout()
        self.vh_ca = QLineEdit()
        self.vh_ca.setObjectName("vh_ca_bundle")
        a11y.name(self.vh_ca, "CA-bestand van het register", "Leeg: certificaten van het systeem")
        self.vh_ca.setPlaceholderText(
            "pad naar een PEM-bestand (leeg: certificaten van het systeem)"
        )
        self.vh_ca.textEdited.connect(lambda _t: self._vh_edited("ca_bundle"))
        ca_pick = QPushButton("Kiezen…")
        ca_pick.clicked.connect(lambda: self._pick_ca(self.vh_ca, "ca_bundle"))
        ca.addWidget(self.vh_ca, 1)
        ca.addWidget(ca_pick)
        form.addRow("CA-bestand (register):", ca)
        self.vh_test_result = QLabel("")
        self.vh_test_result.setObjectName("vh_test_result")
        self.vh_test_result.setWordWrap(True)
        form.addRow("", self.vh_test_result)
        lay.addWidget(self.vh_form)
        self._select_vh(-1)
        return w

    def _build_smtp(self) -> QWidget:
        w = QWidget()
        form = QFormLayout(w)
        self.smtp_host = QLineEdit()
        self.smtp_host.setObjectName("smtp_host")
        self.smtp_host.setPlaceholderText("smtp.example.org (leeg: geen mail versturen)")
        self.smtp_port = QSpinBox()
        self.smtp_port.setObjectName("smtp_port")
        self.smtp_port.setRange(1, 65535)
        self.smtp_port.setValue(587)
        self.smtp_port.setMaximumWidth(120)
        self.smtp_sec = QComboBox()
        self.smtp_sec.setObjectName("smtp_beveiliging")
        self.smtp_sec.addItem("STARTTLS (meestal poort 587)", "starttls")
        self.smtp_sec.addItem("TLS (meestal poort 465)", "tls")
        self.smtp_sec.addItem("geen (alleen een server op deze computer)", "geen")
        self.smtp_user = QLineEdit()
        self.smtp_user.setObjectName("smtp_gebruiker")
        self.smtp_user.setPlaceholderText("optioneel")
        self.smtp_from = QLineEdit()
        self.smtp_from.setObjectName("smtp_afzender")
        self.smtp_from.setPlaceholderText("ZSM Midden-Nederland <zsm-mn@example.org>")
        self.smtp_pw = QLineEdit()
        self.smtp_pw.setObjectName("smtp_password")
        self.smtp_pw.setEchoMode(QLineEdit.EchoMode.Password)
        self.smtp_store = QLabel("")
        self.smtp_store.setObjectName("smtp_store")
        self.smtp_store.setWordWrap(True)
        self.smtp_test = QPushButton("&Verbinding testen")
        self.smtp_test.setObjectName("smtp_test")
        self.smtp_test.clicked.connect(self.test_smtp)
        self.smtp_result = QLabel("")
        self.smtp_result.setObjectName("smtp_result")
        self.smtp_result.setWordWrap(True)
        form.addRow("Server:", self.smtp_host)
        form.addRow("Poort:", self.smtp_port)
        form.addRow("Beveiliging:", self.smtp_sec)
        form.addRow("Gebruiker:", self.smtp_user)
        form.addRow("Afzender:", self.smtp_from)
        form.addRow("Wachtwoord:", self.smtp_pw)
        form.addRow("", self.smtp_store)
        test_row = QHBoxLayout()
        test_row.addWidget(self.smtp_test)
        test_row.addStretch(1)
        form.addRow("", test_row)
        form.addRow("", self.smtp_result)
        return w

    def _build_feed(self) -> QWidget:
        w = QWidget()
        form = QFormLayout(w)
        row = QHBoxLayout()
        self.feed_url = QLineEdit()
        self.feed_url.setObjectName("feed_url")
        a11y.name(self.feed_url, "Verdachtenmonitor-URL", "Leeg: geen feed")
        self.feed_url.setPlaceholderText("https://feed.example.org/api (leeg: geen feed)")
        self.feed_test = QPushButton("&Testen")
        self.feed_test.setObjectName("feed_test")
        self.feed_test.clicked.connect(self.test_feed)
        row.addWidget(self.feed_url, 1)
        row.addWidget(self.feed_test)
        form.addRow("Verdachtenmonitor-URL:", row)
        ca = QHBoxLayout()
        self.feed_ca = QLineEdit()
        self.feed_ca.setObjectName("feed_ca_bundle")
        a11y.name(self.feed_ca, "CA-bestand van de feed", "Leeg: certificaten van het systeem")
        self.feed_ca.setPlaceholderText(
            "pad naar een PEM-bestand (leeg: certificaten van het systeem)"
        )
        ca_pick = QPushButton("Kiezen…")
        ca_pick.clicked.connect(lambda: self._pick_ca(self.feed_ca, None))
        ca.addWidget(self.feed_ca, 1)
        ca.addWidget(ca_pick)
        form.addRow("CA-bestand:", ca)
        self.feed_result = QLabel("")
        self.feed_result.setObjectName("feed_result")
        self.feed_result.setWordWrap(True)
        form.addRow("", self.feed_result)
        hint = QLabel("Een token voor de feed of een register stelt u in met "
                      "<code>zsm-desk secret set feed</code> of "
                      "<code>zsm-desk secret set register:VH-CODE</code>.<br>"
                      "Het CA-bestand is alleen nodig als de server een certificaat van de "
                      "eigen organisatie gebruikt. Het pad moet op elke desk van deze locatie "
                      "bestaan; dat wordt bij het ophalen gecontroleerd.")  # fmt: skip
        hint.setWordWrap(True)
        hint.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        form.addRow("", hint)
        return w

    def _build_retention(self) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        intro = QLabel(
            "Persoonsgegevens worden niet langer bewaard dan nodig. Eén keer per dag verwijdert "
            "ZSM Desk wat over de termijn is; de audittrail blijft altijd bewaard (die bevat "
            "geen persoonsgegevens). Een zaak met technisch sepot 01 gaat bij de eerstvolgende "
            "opschoning weg."
        )
        intro.setWordWrap(True)
        lay.addWidget(intro)
        form = QFormLayout()
        self.periods: dict[str, QSpinBox] = {}
        for key, label in retention.LABELS.items():
            sb = QSpinBox()
            sb.setObjectName(f"bewaar_{key}")
            sb.setRange(retention.MINIMA[key], retention.MAX_DAYS)
            sb.setSuffix(" dagen")
            sb.setMaximumWidth(140)
            self.periods[key] = sb
            form.addRow(label + ":", sb)
        lay.addLayout(form)
        defaults = QPushButton("Standaard&waarden")
        defaults.clicked.connect(lambda: self._set_periods(retention.Bewaartermijnen()))
        row = QHBoxLayout()
        row.addWidget(defaults)
        row.addStretch(1)
        lay.addLayout(row)
        lay.addStretch(1)
        return w

    def _build_roles(self) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        lay.addWidget(QLabel("Account (aanmeldnaam van het systeem) en rollen. Een account "
                             "zonder rollen ziet geen VH-informatie."))  # fmt: skip
        self.roles_table = QTableWidget(0, 1 + len(ROLE_ORDER))
        self.roles_table.setObjectName("rolesTable")
        a11y.name(self.roles_table, "Accounts en rollen")
        self.roles_table.setHorizontalHeaderLabels(
            ["Account", *(ROLE_LABELS[r] for r in ROLE_ORDER)]
        )
        self.roles_table.verticalHeader().setVisible(False)
        self.roles_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.roles_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        lay.addWidget(self.roles_table, 1)
        row = QHBoxLayout()
        self.new_account = QLineEdit()
        self.new_account.setObjectName("new_account")
        a11y.name(self.new_account, "Nieuw account", "Aanmeldnaam van het systeem")
        self.new_account.setPlaceholderText("aanmeldnaam, bijv. jjansen")
        add = QPushButton("Account &toevoegen")
        add.setObjectName("add_account")
        add.clicked.connect(self.add_account)
        self.new_account.returnPressed.connect(self.add_account)
        row.addWidget(self.new_account, 1)
        row.addWidget(add)
        lay.addLayout(row)
        return w

    def _build_codelist(self) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        intro = QLabel(
            "De beslissingen die een officier of KPC'er kan kiezen, in deze volgorde. "
            "'sepot' is verplicht (met sepotcode 'verplicht'); Halt en reprimande zijn "
            "alleen voor minderjarigen. Deze lijst slaat u op met de knop op dit tabblad."
        )
        intro.setWordWrap(True)
        lay.addWidget(intro)
        self.codelist_table = QTableWidget(0, len(CODELIST_COLUMNS))
        self.codelist_table.setObjectName("codelistTable")
        a11y.name(self.codelist_table, "Codelijst beslissingen")
        self.codelist_table.setHorizontalHeaderLabels(list(CODELIST_COLUMNS))
        self.codelist_table.verticalHeader().setVisible(False)
        self.codelist_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.codelist_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.codelist_table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.codelist_table.itemChanged.connect(lambda _i: self._set_codelist_dirty(True))
        lay.addWidget(self.codelist_table, 3)
        row = QHBoxLayout()
        for text, name, slot in (
            ("Beslissing toevoegen", "codelist_add", self.add_code),
            ("Verwijderen", "codelist_remove", self.remove_code),
            ("Omhoog", "codelist_up", lambda: self.move_code(-1)),
            ("Omlaag", "codelist_down", lambda: self.move_code(1)),
        ):
            b = QPushButton(text)
            b.setObjectName(name)
            b.clicked.connect(slot)
            row.addWidget(b)
        row.addStretch(1)
        lay.addLayout(row)

        sep_box = QGroupBox("Sepotcodes (code → omschrijving)")
        sep_lay = QHBoxLayout(sep_box)
        self.sepot_table = QTableWidget(0, 2)
        self.sepot_table.setObjectName("sepotTable")
        a11y.name(self.sepot_table, "Sepotcodes")
        self.sepot_table.setHorizontalHeaderLabels(["Sepotcode", "Omschrijving"])
        self.sepot_table.verticalHeader().setVisible(False)
        self.sepot_table.horizontalHeader().setStretchLastSection(True)
        self.sepot_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.sepot_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.sepot_table.itemChanged.connect(lambda _i: self._set_codelist_dirty(True))
        sep_lay.addWidget(self.sepot_table, 1)
        sep_btns = QVBoxLayout()
        add_sep = QPushButton("Sepotcode toevoegen")
        add_sep.setObjectName("sepot_add")
        add_sep.clicked.connect(self.add_sepotcode)
        rm_sep = QPushButton("Verwijderen")
        rm_sep.setObjectName("sepot_remove")
        rm_sep.clicked.connect(self.remove_sepotcode)
        sep_btns.addWidget(add_sep)
        sep_btns.addWidget(rm_sep)
        sep_btns.addStretch(1)
        sep_lay.addLayout(sep_btns)
        self.sepot_table.verticalHeader().setDefaultSectionSize(24)
        self.sepot_table.setMinimumHeight(24 * 4 + 4)
        sep_box.setMaximumHeight(200)
        lay.addWidget(sep_box, 1)

        self.codelist_problems = QListWidget()
        self.codelist_problems.setObjectName("codelist_problems")
        self.codelist_problems.setMaximumHeight(90)
        self.codelist_problems.setStyleSheet(theme.css(State.ERROR))
        self.codelist_problems.setVisible(False)
        lay.addWidget(self.codelist_problems)
        bottom = QHBoxLayout()
        self.codelist_status = QLabel("")
        self.codelist_status.setObjectName("codelist_status")
        self.codelist_status.setWordWrap(True)
        self.codelist_defaults = QPushButton("Standaard herstellen")
        self.codelist_defaults.setObjectName("codelist_defaults")
        self.codelist_defaults.clicked.connect(self.restore_codelist_defaults)
        self.codelist_save = QPushButton("Beslissingen opslaan")
        self.codelist_save.setObjectName("codelist_save")
        self.codelist_save.clicked.connect(self.save_codelist)
        bottom.addWidget(self.codelist_status, 1)
        bottom.addWidget(self.codelist_defaults)
        bottom.addWidget(self.codelist_save)
        lay.addLayout(bottom)
        return w

    def _build_screening(self) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        intro = QLabel(
            "De screeningslijsten (KV-6): per lijst de groepen met hun regel en de criteria. "
            "Wijzig de lijsten in de JSON-tekst rechts, controleer en sla op met de knoppen "
            "op dit tabblad. Eerder vastgelegde screenings houden hun eigen momentopname."
        )
        intro.setWordWrap(True)
        lay.addWidget(intro)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        self.screening_tree = QTreeWidget()
        self.screening_tree.setObjectName("screeningTree")
        a11y.name(self.screening_tree, "Criterialijsten")
        self.screening_tree.setHeaderLabels(["Lijst, groep of criterium", "Code", "Regel"])
        self.screening_tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        split.addWidget(self.screening_tree)
        self.screening_edit = QPlainTextEdit()
        self.screening_edit.setObjectName("screeningJson")
        a11y.name(self.screening_edit, "Criterialijsten als JSON")
        self.screening_edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.screening_edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.screening_edit.textChanged.connect(lambda: self._set_screening_dirty(True))
        split.addWidget(self.screening_edit)
        split.setSizes([420, 520])
        lay.addWidget(split, 1)
        self.screening_problems = QListWidget()
        self.screening_problems.setObjectName("screening_problems")
        self.screening_problems.setMaximumHeight(70)
        self.screening_problems.setStyleSheet(theme.css(State.ERROR))
        self.screening_problems.setVisible(False)
        lay.addWidget(self.screening_problems)
        bottom = QHBoxLayout()
        self.screening_status = QLabel("")
        self.screening_status.setObjectName("screening_status")
        self.screening_status.setWordWrap(True)
        self.screening_check = QPushButton("Controleren")
        self.screening_check.setObjectName("screening_check")
        self.screening_check.clicked.connect(self.check_screening)
        self.screening_defaults = QPushButton("Standaard herstellen")
        self.screening_defaults.setObjectName("screening_defaults")
        self.screening_defaults.clicked.connect(self.restore_screening_defaults)
        self.screening_save = QPushButton("Screeningslijsten opslaan")
        self.screening_save.setObjectName("screening_save")
        self.screening_save.clicked.connect(self.save_screening)
        bottom.addWidget(self.screening_status, 1)
        bottom.addWidget(self.screening_check)
        bottom.addWidget(self.screening_defaults)
        bottom.addWidget(self.screening_save)
        lay.addLayout(bottom)
        return w

    # --- loading ------------------------------------------------------------------------
    def reload(self) -> None:
        account, store = self.account, self._store
        self._run(lambda s: load_state(s, account, store), self._on_loaded, self._on_load_error)

    def _on_load_error(self, message: str) -> None:
        _status(self.message, False, f"Instellingen konden niet worden geladen: {message}")

    def _on_loaded(self, state: SettingsState) -> None:
        self.state = state
        if not state.may_manage or state.settings is None:
            self.tabs.setVisible(False)
            self.save_btn.setEnabled(False)
            self.save_btn.setVisible(False)
            _status(self.message, None, READ_ONLY_MESSAGE)
            return
        self.message.setText("Wijzigingen gelden voor alle desks van deze locatie.")
        self.message.setStyleSheet("")
        self.tabs.setVisible(True)
        self.save_btn.setEnabled(True)
        st = state.settings
        self.locatie.setText(st.zsm_locatie)
        self.deadline.setValue(st.deadline_uren)
        self._vhs = [
            {"code": v.code, "naam": v.naam, "mailbox": v.mailbox,
             "gemeenten": ", ".join(v.gemeenten), "telefoon": v.telefoon,
             "bereikbaar": v.bereikbaar, "beveiligde_mail": v.beveiligde_mail,
             "terugkoppeling": v.terugkoppeling, "register_url": v.register_url,
             "ca_bundle": v.ca_bundle}
            for v in st.veiligheidshuizen
        ]  # fmt: skip
        self._fill_vh_table()
        smtp = st.smtp
        self.smtp_host.setText(smtp.host if smtp else "")
        self.smtp_port.setValue(smtp.port if smtp else 587)
        self.smtp_sec.setCurrentIndex(
            max(0, self.smtp_sec.findData(smtp.beveiliging if smtp else "starttls"))
        )
        self.smtp_user.setText(smtp.gebruiker if smtp else "")
        self.smtp_from.setText(smtp.afzender if smtp else "")
        self.smtp_pw.clear()
        self.smtp_pw.setPlaceholderText(
            "(opgeslagen; leeg laten om niet te wijzigen)" if state.smtp_password_set
            else "(niet ingesteld)"
        )  # fmt: skip
        self.smtp_store.setText(state.store_status)
        self.feed_url.setText(st.feed.url if st.feed else "")
        self.feed_ca.setText(st.feed.ca_bundle if st.feed else "")
        self._set_periods(state.periods)
        self._role_baseline = dict(state.accounts)
        self._fill_roles(state.accounts)
        # Unsaved edits in the tabs with their own save button survive a reload.
        if state.codelist is not None and not self._codelist_dirty:
            self._show_codelist(state.codelist)
        if not self._screening_dirty:
            self._show_screening(state.checklists_json, state.checklists_standaard,
                                 state.checklists_fout)  # fmt: skip
        self._tab_changed(self.tabs.currentIndex())

    def _set_periods(self, p: retention.Bewaartermijnen) -> None:
        for key, value in p.to_dict().items():
            self.periods[key].setValue(value)

    # --- veiligheidshuizen --------------------------------------------------------------
    def _vh_cells(self, v: dict[str, Any]) -> list[str]:
        return [v["code"], v["naam"], v["mailbox"], v["gemeenten"], v["telefoon"], v["bereikbaar"],
                "ja" if v["beveiligde_mail"] else "nee", v["terugkoppeling"], v["register_url"],
                v["ca_bundle"]]  # fmt: skip

    def _fill_vh_table(self, select: int = 0) -> None:
        with QSignalBlocker(self.vh_table):
            self.vh_table.setRowCount(len(self._vhs))
            for r, v in enumerate(self._vhs):
                self._set_vh_row(r, v)
        self.vh_table.resizeColumnsToContents()
        row = min(select, len(self._vhs) - 1)
        if row >= 0:
            self.vh_table.setCurrentCell(row, 0)
        self._select_vh(row)

    def _set_vh_row(self, r: int, v: dict[str, Any]) -> None:
        for c, text in enumerate(self._vh_cells(v)):
            item = self.vh_table.item(r, c)
            if item is None:
                item = QTableWidgetItem()
                self.vh_table.setItem(r, c, item)
            item.setText(text)

    def _select_vh(self, row: int) -> None:
        self._vh_row = row if 0 <= row < len(self._vhs) else -1
        has = self._vh_row >= 0
        self.vh_form.setEnabled(has)
        self.vh_remove.setEnabled(has)
        self.vh_test_result.clear()
        v = self._vhs[self._vh_row] if has else None
        widgets: list[Any] = [*self.vh_fields.values(), self.vh_secure, self.vh_tk, self.vh_tk_time,
                              self.vh_url, self.vh_ca]  # fmt: skip
        blockers = [QSignalBlocker(w) for w in widgets]
        for key, e in self.vh_fields.items():
            e.setText(v[key] if v else "")
        self.vh_secure.setChecked(bool(v["beveiligde_mail"]) if v else True)
        tk = v["terugkoppeling"] if v else "direct"
        daily = tk.startswith("dagelijks")
        self.vh_tk.setCurrentIndex(1 if daily else 0)
        t = QTime.fromString(tk.removeprefix("dagelijks").strip(), "HH:mm") if daily else QTime()
        self.vh_tk_time.setTime(t if t.isValid() else QTime(16, 0))
        self.vh_tk_time.setEnabled(daily)
        self.vh_url.setText(v["register_url"] if v else "")
        self.vh_ca.setText(v["ca_bundle"] if v else "")
        del blockers

    def _vh_edited(self, key: str) -> None:
        if self._vh_row < 0:
            return
        v = self._vhs[self._vh_row]
        if key in self.vh_fields:
            v[key] = self.vh_fields[key].text()
        elif key == "beveiligde_mail":
            v[key] = self.vh_secure.isChecked()
        elif key == "terugkoppeling":
            daily = self.vh_tk.currentIndex() == 1
            self.vh_tk_time.setEnabled(daily)
            v[key] = f"dagelijks {self.vh_tk_time.time().toString('HH:mm')}" if daily else "direct"
        elif key == "register_url":
            v[key] = self.vh_url.text()
        elif key == "ca_bundle":
            v[key] = self.vh_ca.text()
        self._set_vh_row(self._vh_row, v)

    def add_vh(self) -> None:
        self._vhs.append({"code": "", "naam": "", "mailbox": "", "gemeenten": "", "telefoon": "",
                          "bereikbaar": "", "beveiligde_mail": True, "terugkoppeling": "direct",
                          "register_url": "", "ca_bundle": ""})  # fmt: skip
        self._fill_vh_table(select=len(self._vhs) - 1)
        self.vh_fields["code"].setFocus()

    def remove_vh(self) -> None:
        if self._vh_row < 0:
            return
        row = self._vh_row
        del self._vhs[row]
        self._fill_vh_table(select=max(0, row - 1))

    # --- roles --------------------------------------------------------------------------
    def _fill_roles(self, accounts: dict[str, frozenset[Role]]) -> None:
        self.roles_table.setRowCount(len(accounts))
        for r, (acc, roles) in enumerate(sorted(accounts.items())):
            self._set_role_row(r, acc, roles)
        self.roles_table.resizeColumnsToContents()
        self.roles_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

    def _set_role_row(self, r: int, account: str, roles: frozenset[Role]) -> None:
        name = QTableWidgetItem(account + ("  (u)" if account == self.account else ""))
        name.setData(Qt.ItemDataRole.UserRole, account)
        name.setFlags(Qt.ItemFlag.ItemIsEnabled)
        self.roles_table.setItem(r, 0, name)
        for c, role in enumerate(ROLE_ORDER, 1):
            item = QTableWidgetItem()
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if role in roles else Qt.CheckState.Unchecked)
            self.roles_table.setItem(r, c, item)

    def role_map(self) -> dict[str, frozenset[Role]]:
        out: dict[str, frozenset[Role]] = {}
        for r in range(self.roles_table.rowCount()):
            acc = self.roles_table.item(r, 0).data(Qt.ItemDataRole.UserRole)
            out[acc] = frozenset(
                role for c, role in enumerate(ROLE_ORDER, 1)
                if self.roles_table.item(r, c).checkState() == Qt.CheckState.Checked
            )  # fmt: skip
        return out

    def add_account(self) -> None:
        name = self.new_account.text().strip()
        if not name:
            return
        if name in self.role_map():
            _status(self.message, False, f"Account {name} staat al in de lijst.")
            return
        r = self.roles_table.rowCount()
        self.roles_table.setRowCount(r + 1)
        self._set_role_row(r, name, frozenset())
        self.new_account.clear()

    # --- tabs with their own save button ------------------------------------------------
    def _tab_changed(self, index: int) -> None:
        if self.state is not None and self.state.may_manage:
            self.save_btn.setVisible(index not in self._own_save_tabs)

    def _mark_tab(self, title: str, dirty: bool) -> None:
        for i in range(self.tabs.count()):
            if self.tabs.tabText(i).removesuffix(" *") == title:
                self.tabs.setTabText(i, title + (" *" if dirty else ""))

    def _pick_ca(self, edit: QLineEdit, vh_key: str | None) -> None:
        path, _flt = QFileDialog.getOpenFileName(
            self, "CA-bestand kiezen", edit.text() or "", "PEM-bestanden (*.pem *.crt);;Alle (*)"
        )
        if path:
            edit.setText(path)
            if vh_key:
                self._vh_edited(vh_key)

    # --- beslissingen (code list) -------------------------------------------------------
    def _set_codelist_dirty(self, dirty: bool) -> None:
        self._codelist_dirty = dirty
        self._mark_tab(TAB_CODELIST, dirty)

    def _fill_codelist(self, rows: list[dict[str, Any]], sepotcodes: dict[str, str]) -> None:
        t = self.codelist_table
        with QSignalBlocker(t), QSignalBlocker(self.sepot_table):
            t.setRowCount(0)
            t.setRowCount(len(rows))
            for r, row in enumerate(rows):
                self._set_code_row(r, {**CODELIST_DEFAULTS, **row})
            self.sepot_table.setRowCount(0)
            self.sepot_table.setRowCount(len(sepotcodes))
            for r, (code, text) in enumerate(sepotcodes.items()):
                self.sepot_table.setItem(r, 0, QTableWidgetItem(str(code)))
                self.sepot_table.setItem(r, 1, QTableWidgetItem(str(text)))
        t.resizeColumnsToContents()
        t.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.sepot_table.resizeColumnToContents(0)

    def _set_code_row(self, r: int, row: dict[str, Any]) -> None:
        t = self.codelist_table
        for c, (key, kind) in enumerate(CODELIST_FIELDS):
            value = row.get(key, CODELIST_DEFAULTS[key])
            if kind == "text":
                t.setItem(r, c, QTableWidgetItem("" if value is None else str(value)))
            elif kind == "bool":
                item = QTableWidgetItem()
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                              | Qt.ItemFlag.ItemIsUserCheckable)  # fmt: skip
                item.setCheckState(Qt.CheckState.Checked if value else Qt.CheckState.Unchecked)
                t.setItem(r, c, item)
            else:
                combo = QComboBox()
                combo.setObjectName(f"codelist_{key}_{r}")
                choices = list(kind)
                if str(value) not in choices:  # a stored invalid value: shown, then refused
                    choices.append(str(value))
                combo.addItems(choices)
                combo.setCurrentText(str(value))
                combo.currentIndexChanged.connect(lambda _i: self._set_codelist_dirty(True))
                t.setCellWidget(r, c, combo)

    def codelist_rows(self) -> list[dict[str, Any]]:
        """The table as code dicts (the shape of `CodeList.from_dicts`)."""
        t = self.codelist_table
        out: list[dict[str, Any]] = []
        for r in range(t.rowCount()):
            row: dict[str, Any] = {}
            for c, (key, kind) in enumerate(CODELIST_FIELDS):
                if kind == "text":
                    item = t.item(r, c)
                    row[key] = item.text().strip() if item else ""
                elif kind == "bool":
                    item = t.item(r, c)
                    row[key] = bool(item and item.checkState() == Qt.CheckState.Checked)
                else:
                    combo = t.cellWidget(r, c)
                    row[key] = combo.currentText() if isinstance(combo, QComboBox) else ""
            out.append(row)
        return out

    def sepotcodes(self) -> tuple[dict[str, str], list[str]]:
        """The sepotcode table as a dict, and problems the dict cannot show (doubles)."""
        out: dict[str, str] = {}
        problems: list[str] = []
        for r in range(self.sepot_table.rowCount()):
            code_item, text_item = self.sepot_table.item(r, 0), self.sepot_table.item(r, 1)
            code = code_item.text().strip() if code_item else ""
            text = text_item.text().strip() if text_item else ""
            if not code and not text:
                continue
            if code in out:
                problems.append(f"Sepotcode {code!r} komt dubbel voor.")
            out[code] = text
        return out, problems

    def _code_row(self) -> int:
        return self.codelist_table.currentRow()

    def add_code(self) -> None:
        rows = self.codelist_rows()
        rows.append(dict(CODELIST_DEFAULTS))
        self._fill_codelist(rows, self.sepotcodes()[0])
        r = len(rows) - 1
        self.codelist_table.setCurrentCell(r, 0)
        self.codelist_table.editItem(self.codelist_table.item(r, 0))
        self._set_codelist_dirty(True)

    def remove_code(self) -> None:
        r = self._code_row()
        if r < 0:
            return
        rows = self.codelist_rows()
        del rows[r]
        self._fill_codelist(rows, self.sepotcodes()[0])
        if rows:
            self.codelist_table.setCurrentCell(min(r, len(rows) - 1), 0)
        self._set_codelist_dirty(True)

    def move_code(self, delta: int) -> None:
        r = self._code_row()
        rows = self.codelist_rows()
        to = r + delta
        if r < 0 or not 0 <= to < len(rows):
            return
        rows[r], rows[to] = rows[to], rows[r]
        self._fill_codelist(rows, self.sepotcodes()[0])
        self.codelist_table.setCurrentCell(to, 0)
        self._set_codelist_dirty(True)

    def add_sepotcode(self) -> None:
        r = self.sepot_table.rowCount()
        with QSignalBlocker(self.sepot_table):
            self.sepot_table.setRowCount(r + 1)
            self.sepot_table.setItem(r, 0, QTableWidgetItem(""))
            self.sepot_table.setItem(r, 1, QTableWidgetItem(""))
        self.sepot_table.setCurrentCell(r, 0)
        self.sepot_table.editItem(self.sepot_table.item(r, 0))
        self._set_codelist_dirty(True)

    def remove_sepotcode(self) -> None:
        r = self.sepot_table.currentRow()
        if r >= 0:
            self.sepot_table.removeRow(r)
            self._set_codelist_dirty(True)

    def restore_codelist_defaults(self) -> None:
        self._fill_codelist(codelist_service.default_rows(), dict(DEFAULT_SEPOTCODES))
        self._show_list(self.codelist_problems, [])
        self._set_codelist_dirty(True)
        _status(self.codelist_status, None,
                "De standaardlijst staat in het overzicht; kies Opslaan om hem te gebruiken.")  # fmt: skip

    def validate_codelist(self) -> tuple[list[dict[str, Any]], dict[str, str]]:
        """The tab's code list checked as a whole; CodeListError lists every problem."""
        rows = self.codelist_rows()
        sepotcodes, problems = self.sepotcodes()
        try:
            codelist_service.validate_codelist(rows, sepotcodes)
        except CodeListError as e:
            problems += e.errors
        if problems:
            raise CodeListError(problems)
        return rows, sepotcodes

    def save_codelist(self) -> None:
        if self.state is None or not self.state.may_manage:
            return
        try:
            rows, sepotcodes = self.validate_codelist()
        except CodeListError as e:
            self._show_list(self.codelist_problems, e.errors)
            _status(self.codelist_status, False,
                    f"Niet opgeslagen: {len(e.errors)} punt(en) om op te lossen.")  # fmt: skip
            return
        self._show_list(self.codelist_problems, [])
        account = self.account

        def job(s: Any) -> codelist_service.StoredCodeList:
            codelist_service.save_codelist(s, rows, sepotcodes, account)
            return codelist_service.load_codelist_rows(s)

        def done(stored: codelist_service.StoredCodeList) -> None:
            self.codelist_save.setEnabled(True)
            self._fill_codelist(stored.rows, stored.sepotcodes)
            self._set_codelist_dirty(False)
            _status(self.codelist_status, True,
                    "Beslissingen opgeslagen" + (" (standaardlijst)." if stored.standaard
                                                 else "."))  # fmt: skip
            emit(self.saved)

        def failed(message: str) -> None:
            self.codelist_save.setEnabled(True)
            _status(self.codelist_status, False, f"Niet opgeslagen: {message}")

        self.codelist_save.setEnabled(False)
        _status(self.codelist_status, None, "Opslaan…")
        self._run(job, done, failed)

    def _show_codelist(self, stored: codelist_service.StoredCodeList) -> None:
        self._fill_codelist(stored.rows, stored.sepotcodes)
        self._set_codelist_dirty(False)
        self._show_list(self.codelist_problems, stored.fouten)
        if stored.fouten:
            _status(self.codelist_status, False,
                    "De opgeslagen lijst is ongeldig; tot u hem herstelt kan niemand een "
                    "beslissing vastleggen.")  # fmt: skip
        else:
            _status(self.codelist_status, None,
                    "Standaardlijst." if stored.standaard else "Aangepaste lijst.")  # fmt: skip

    # --- screeningslijsten --------------------------------------------------------------
    def _set_screening_dirty(self, dirty: bool) -> None:
        self._screening_dirty = dirty
        self._mark_tab(TAB_SCREENING, dirty)

    def _set_screening_text(self, text: str) -> None:
        with QSignalBlocker(self.screening_edit):
            self.screening_edit.setPlainText(text)

    def _fill_screening_tree(self, checklists: list[sc.Checklist]) -> None:
        tree = self.screening_tree
        tree.clear()
        for cl in checklists:
            top = QTreeWidgetItem([cl.naam, cl.code, cl.regel])
            top.setToolTip(0, f"{cl.naam}\nBron: {cl.bron}")
            for g in cl.groepen:
                gi = QTreeWidgetItem([g.naam, g.code, g.regel])
                gi.setToolTip(0, g.naam)
                for c in cl.criteria_van(g.code):
                    ci = QTreeWidgetItem([c.tekst, c.code, ""])
                    ci.setToolTip(0, c.tekst)
                    gi.addChild(ci)
                top.addChild(gi)
            tree.addTopLevelItem(top)
        tree.expandToDepth(0)
        tree.resizeColumnToContents(1)
        tree.setColumnWidth(0, max(220, tree.columnWidth(0)))

    def parse_screening(self) -> list[sc.Checklist]:
        """The JSON editor as checklists; ValueError with a Dutch message."""
        text = self.screening_edit.toPlainText()
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            cursor = self.screening_edit.textCursor()
            cursor.setPosition(min(e.pos, len(text)))
            self.screening_edit.setTextCursor(cursor)
            raise ValueError(
                f"Geen geldige JSON op regel {e.lineno}, kolom {e.colno}: controleer komma's, "
                "aanhalingstekens en haakjes."
            ) from None
        checklists = sc.checklists_from_list(data)
        if not checklists:
            raise ValueError(
                "Er is geen enkele screeningslijst: neem er ten minste één op "
                "(of kies Standaard herstellen)."
            )
        return checklists

    def check_screening(self) -> list[sc.Checklist] | None:
        try:
            checklists = self.parse_screening()
        except ValueError as e:
            self._show_list(self.screening_problems, [str(e)])
            _status(self.screening_status, False, "✘ Niet in orde.")
            return None
        self._show_list(self.screening_problems, [])
        self._fill_screening_tree(checklists)
        _status(self.screening_status, True, f"✔ In orde: {len(checklists)} lijst(en).")
        return checklists

    def restore_screening_defaults(self) -> None:
        self._set_screening_text(default_checklists_json())
        self._fill_screening_tree(sc.default_checklists())
        self._show_list(self.screening_problems, [])
        self._set_screening_dirty(True)
        _status(self.screening_status, None,
                "De standaardlijsten staan in de editor; kies Opslaan om ze te gebruiken.")  # fmt: skip

    def save_screening(self) -> None:
        if self.state is None or not self.state.may_manage:
            return
        checklists = self.check_screening()
        if checklists is None:
            _status(
                self.screening_status, False, "Niet opgeslagen: los eerst het punt hieronder op."
            )
            return
        account = self.account
        standaard = sc.checklists_to_list(checklists) == sc.checklists_to_list(
            sc.default_checklists()
        )

        def job(s: Any) -> tuple[str, bool, str]:
            roles = users.roles_of(s, account)
            if standaard:
                screening_service.reset_checklists(s, account=account, roles=roles)
            else:
                screening_service.save_checklists(s, checklists, account=account, roles=roles)
            return _load_checklists_raw(s)

        def done(result: tuple[str, bool, str]) -> None:
            text, is_default, _fout = result
            self.screening_save.setEnabled(True)
            self._set_screening_text(text)
            self._set_screening_dirty(False)
            _status(self.screening_status, True,
                    "Screeningslijsten opgeslagen" + (" (standaard)." if is_default else "."))  # fmt: skip
            emit(self.saved)

        def failed(message: str) -> None:
            self.screening_save.setEnabled(True)
            _status(self.screening_status, False, f"Niet opgeslagen: {message}")

        self.screening_save.setEnabled(False)
        _status(self.screening_status, None, "Opslaan…")
        self._run(job, done, failed)

    def _show_screening(self, text: str, standaard: bool, fout: str) -> None:
        self._set_screening_text(text)
        self._set_screening_dirty(False)
        try:
            self._fill_screening_tree(self.parse_screening())
        except ValueError:
            self.screening_tree.clear()
        self._show_list(self.screening_problems, [fout] if fout else [])
        if fout:
            _status(self.screening_status, False,
                    "De opgeslagen lijsten zijn ongeldig; screenen lukt pas als u ze herstelt.")  # fmt: skip
        else:
            _status(self.screening_status, None,
                    "Standaardlijsten." if standaard else "Aangepaste lijsten.")  # fmt: skip

    @staticmethod
    def _show_list(widget: QListWidget, problems: list[str]) -> None:
        widget.clear()
        widget.addItems(problems)
        widget.setVisible(bool(problems))

    # --- collecting and validating ------------------------------------------------------
    def config_document(self) -> dict[str, Any]:
        """The form as a configuration document (interfaces.md §3) for validate_config."""
        doc: dict[str, Any] = {"zsm_locatie": self.locatie.text().strip(),
                               "deadline_uren": self.deadline.value()}  # fmt: skip
        host, afzender = self.smtp_host.text().strip(), self.smtp_from.text().strip()
        if host or afzender or self.smtp_user.text().strip():
            smtp: dict[str, Any] = {"host": host, "port": self.smtp_port.value(),
                                    "beveiliging": self.smtp_sec.currentData(),
                                    "afzender": afzender}  # fmt: skip
            if self.smtp_user.text().strip():
                smtp["gebruiker"] = self.smtp_user.text().strip()
            doc["smtp"] = smtp
        if self.feed_url.text().strip():
            doc["feed"] = {"url": self.feed_url.text().strip()}
            if self.feed_ca.text().strip():
                doc["feed"]["ca_bundle"] = self.feed_ca.text().strip()
        vhs = []
        for v in self._vhs:
            d = {k: (v[k].strip() if isinstance(v[k], str) else v[k]) for k in v}
            d["gemeenten"] = [g.strip() for g in v["gemeenten"].split(",") if g.strip()]
            for key in ("register_url", "ca_bundle"):
                if not d[key]:
                    del d[key]
            vhs.append(d)
        doc["veiligheidshuis"] = vhs
        return doc

    def validate(self) -> tuple[Settings, retention.Bewaartermijnen, dict[str, frozenset[Role]]]:
        """Everything the form holds, checked as a whole; ConfigError lists every problem."""
        problems: list[str] = []
        settings: Settings | None = None
        periods: retention.Bewaartermijnen | None = None
        try:
            settings = validate_config(self.config_document())
        except ConfigError as e:
            problems += e.problems
        try:
            periods = retention.Bewaartermijnen.from_dict(
                {k: sb.value() for k, sb in self.periods.items()}
            )
        except ConfigError as e:
            problems += e.problems
        roles = self.role_map()
        if not any(Role.BEHEERDER in r for r in roles.values()):
            problems.append("Gebruikers en rollen: ten minste één account moet beheerder blijven")
        if problems or settings is None or periods is None:
            raise ConfigError(problems)
        return settings, periods, roles

    def _show_problems(self, problems: list[str]) -> None:
        self.problems.clear()
        self.problems.addItems(problems)
        self.problems.setVisible(bool(problems))

    # --- saving -------------------------------------------------------------------------
    def save(self) -> None:
        if self.state is None or not self.state.may_manage:
            return
        try:
            settings, periods, roles = self.validate()
        except ConfigError as e:
            self._show_problems(e.problems)
            _status(self.message, False,
                    f"Niet opgeslagen: {len(e.problems)} punt(en) om op te lossen.")  # fmt: skip
            return
        self._show_problems([])
        account = self.account
        old_periods = self.state.periods
        changed = {a: r for a, r in roles.items() if self._role_baseline.get(a) != r}
        password = self.smtp_pw.text()

        def job(s: Any) -> int:
            if Role.BEHEERDER not in users.roles_of(s, account):
                raise users.NotAllowed("alleen een beheerder mag de instellingen wijzigen")
            config.save_settings(s, settings, account, "instellingen gewijzigd in het venster")
            if periods != old_periods:
                retention.save_periods(s, periods, account)
            for acc in sorted(changed):
                users.set_roles(s, account, acc, changed[acc])
            return len(changed)

        def done(_n: int) -> None:
            if password:
                self._save_password(password)
            else:
                self._saved("Instellingen opgeslagen.")

        self.save_btn.setEnabled(False)
        _status(self.message, None, "Opslaan…")
        self._run(job, done, self._save_failed)

    def _save_password(self, password: str) -> None:
        store = self._store

        def job(_s: Any) -> str:
            return (store or default_store()).set("smtp", password).message

        self._run(job, lambda msg: self._saved(f"Instellingen opgeslagen. {msg}"),
                  lambda m: self._save_failed(f"instellingen opgeslagen, wachtwoord niet: {m}"))  # fmt: skip

    def _saved(self, text: str) -> None:
        self.smtp_pw.clear()
        self.save_btn.setEnabled(True)
        _status(self.message, True, text)
        emit(self.saved)
        self.reload_keep_message(text)

    def reload_keep_message(self, text: str) -> None:
        account, store = self.account, self._store

        def done(state: SettingsState) -> None:
            self._on_loaded(state)
            _status(self.message, True, text)

        self._run(lambda s: load_state(s, account, store), done, self._on_load_error)

    def _save_failed(self, message: str) -> None:
        self.save_btn.setEnabled(True)
        _status(self.message, False, f"Niet opgeslagen: {message}")

    # --- connection tests ---------------------------------------------------------------
    def _test(
        self, button: QPushButton, label: QLabel, job: Callable[[Any], tuple[bool, str]]
    ) -> None:
        button.setEnabled(False)
        _status(label, None, "Bezig met testen…")

        def done(result: tuple[bool, str]) -> None:
            button.setEnabled(True)
            ok, text = result
            _status(label, ok, ("✔ " if ok else "✘ ") + text)

        def failed(message: str) -> None:
            button.setEnabled(True)
            _status(label, False, f"✘ {message}")

        self._run_net(job, done, failed)

    def test_smtp(self) -> None:
        from zsm_desk.services.mail import transport as mail

        tester = self._smtp_tester or mail.test_connection
        store = self._store
        typed = self.smtp_pw.text()
        try:
            smtp = mail.SmtpSettings(host=self.smtp_host.text().strip(), port=self.smtp_port.value(),
                                     beveiliging=self.smtp_sec.currentData(),
                                     gebruiker=self.smtp_user.text().strip(),
                                     afzender=self.smtp_from.text().strip(), timeout=15.0)  # fmt: skip
        except ValueError as e:
            _status(self.smtp_result, False, f"✘ {e}")
            return

        def job(_s: Any) -> tuple[bool, str]:
            password = typed or ((store or default_store()).get("smtp") if smtp.gebruiker else None)
            return tester(smtp, password)

        self._test(self.smtp_test, self.smtp_result, job)

    def _http_job(self, url: str, secret_names: tuple[str, ...], endpoint: str,
                  ca_bundle: str = "") -> Callable[[Any], tuple[bool, str]]:  # fmt: skip
        from zsm_desk.services.intake import http_client

        tester = self._http_tester or http_client.check_connection
        store = self._store

        def job(_s: Any) -> tuple[bool, str]:
            st = store or default_store()
            name = None
            for n in secret_names:
                try:
                    if st.get(n):
                        name = n
                        break
                except Exception:
                    continue
            cfg = http_client.FetchConfig(url=url, auth="token" if name else None,
                                          secret_name=name, timeout=(5, 15),
                                          ca_bundle=os.path.expanduser(ca_bundle) or None)  # fmt: skip
            return tester(cfg, st, endpoint=endpoint)

        return job

    def test_register(self) -> None:
        if self._vh_row < 0:
            return
        v = self._vhs[self._vh_row]
        url = v["register_url"].strip()
        if not url:
            _status(self.vh_test_result, False, "✘ Vul eerst een register-URL in.")
            return
        names = (
            (f"register:{v['code'].strip()}", "register") if v["code"].strip() else ("register",)
        )
        job = self._http_job(url, names, "register", v.get("ca_bundle", "").strip())
        self._test(self.vh_test, self.vh_test_result, job)

    def test_feed(self) -> None:
        url = self.feed_url.text().strip()
        if not url:
            _status(self.feed_result, False, "✘ Vul eerst de URL van de verdachtenmonitor in.")
            return
        job = self._http_job(url, ("feed",), "instroom", self.feed_ca.text().strip())
        self._test(self.feed_test, self.feed_result, job)


def open_settings(parent: QWidget, account: str, run_in_worker: RunInWorker,
                  run_network: RunInWorker | None = None) -> SettingsDialog:  # fmt: skip
    """Show the dialog (non-blocking); the lead wires this to the menu."""
    dlg = SettingsDialog(account, run_in_worker, parent, run_network=run_network)
    dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dlg.show()
    return dlg


__all__ = ["SettingsDialog", "SettingsState", "load_state", "open_settings"]
