"""The settings dialog (ui.settings_dialog) on a real SQLite database.

`run_in_worker` is a synchronous fake (the real one is DbWorker.submit), so a
test sees the result of load, save and connection test at once. Connection
testers are fakes too: no network. Qt warnings fail a test.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from tests.helpers.stubs import MemoryKeyring
from zsm_desk.app_context import AppContext, open_app
from zsm_desk.desk import Desk
from zsm_desk.domain.access import Role
from zsm_desk.services.demo import demo_install
from zsm_desk.services.demo.demo_data import TZ
from zsm_desk.services.keys.secrets import SecretStore
from zsm_desk.services.security import retention, users
from zsm_desk.services.storage import audit, config
from zsm_desk.services.storage.db import sqlite_path
from zsm_desk.services.storage.models import AuditEntry
from zsm_desk.ui.settings_dialog import READ_ONLY_MESSAGE, SettingsDialog

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$"),
]

PASSWORD = "Zeer-Geheim-SMTP-7391!"


Runner = Callable[[Callable[[], Any], Any, Any], None]


def sync_runner(ctx: AppContext, log: list[str] | None = None) -> Runner:
    def run(fn: Callable[[], Any], on_done: Any = None, on_error: Any = None) -> None:
        try:
            result = fn()
        except Exception as e:
            if log is not None:
                log.append(str(e))
            if on_error:
                on_error(str(e))
            return
        if on_done:
            on_done(result)

    return run


@pytest.fixture
def ctx(sqlite_url: str) -> Iterator[AppContext]:
    c = open_app(sqlite_url)
    demo_install.install(c, seed=1, day_end=dt.datetime(2026, 11, 22, 23, 0, tzinfo=TZ), items=20)
    with c.db.session() as s:
        users.set_roles(s, c.account, "jjansen", frozenset({Role.KPC}))
    yield c
    c.db.dispose()


@pytest.fixture
def store() -> SecretStore:
    return SecretStore(MemoryKeyring())


def make(qtbot: Any, ctx: AppContext, store: SecretStore, account: str | None = None,
         **kw: Any) -> SettingsDialog:  # fmt: skip
    dlg = SettingsDialog(Desk(ctx.db, account or ctx.account), sync_runner(ctx), store=store, **kw)
    qtbot.addWidget(dlg)
    return dlg


def audit_count(ctx: AppContext) -> int:
    with ctx.db.session() as s:
        return audit.count(s)


def test_beheerder_sees_the_loaded_settings(
    qtbot: Any, ctx: AppContext, store: SecretStore
) -> None:
    dlg = make(qtbot, ctx, store)
    assert dlg.state is not None and dlg.state.may_manage
    assert dlg.tabs.isVisibleTo(dlg) and dlg.save_btn.isEnabled()
    assert [dlg.tabs.tabText(i) for i in range(dlg.tabs.count())] == [
        "Algemeen", "Veiligheidshuizen", "SMTP", "Feed", "Bewaartermijnen", "Gebruikers en rollen",
        "Beslissingen", "Screeningslijsten",
    ]  # fmt: skip
    with ctx.db.session() as s:
        st = config.load_settings(s)
    assert dlg.locatie.text() == st.zsm_locatie
    assert dlg.deadline.value() == st.deadline_uren
    assert dlg.vh_table.rowCount() == len(st.veiligheidshuizen)
    assert dlg.vh_table.item(0, 0).text() == st.veiligheidshuizen[0].code
    assert dlg.smtp_host.text() == (st.smtp.host if st.smtp else "")
    assert dlg.periods["afgesloten_zaak"].value() == 28
    assert dlg.role_map()["jjansen"] == frozenset({Role.KPC})
    # Saving unchanged settings validates and is audited.
    before = audit_count(ctx)
    dlg.save()
    assert "opgeslagen" in dlg.message.text()
    assert audit_count(ctx) == before + 1


def test_without_beheerder_role_read_only_message_and_no_data(
    qtbot: Any, ctx: AppContext, store: SecretStore
) -> None:
    for account in ("jjansen", "onbekend-account"):
        dlg = make(qtbot, ctx, store, account=account)
        assert dlg.state is not None and not dlg.state.may_manage
        assert dlg.state.settings is None and dlg.state.accounts == {}
        assert not dlg.tabs.isVisibleTo(dlg)
        assert not dlg.save_btn.isVisibleTo(dlg) and not dlg.save_btn.isEnabled()
        assert dlg.message.text() == READ_ONLY_MESSAGE
        before = audit_count(ctx)
        dlg.save()
        assert audit_count(ctx) == before


def test_add_edit_remove_vh_and_save(qtbot: Any, ctx: AppContext, store: SecretStore) -> None:
    dlg = make(qtbot, ctx, store)
    n = dlg.vh_table.rowCount()
    dlg.add_vh()
    assert dlg.vh_table.rowCount() == n + 1 and dlg.vh_table.currentRow() == n
    values = {"code": "VH-TST", "naam": "Veiligheidshuis Test", "mailbox": "centraal@vh-test.example.org",
              "gemeenten": "Testdorp, Proefstad", "telefoon": "010-1234567",
              "bereikbaar": "ma-vr 09:00-17:00"}  # fmt: skip
    for key, text in values.items():
        qtbot.keyClicks(dlg.vh_fields[key], text)
    dlg.vh_tk.setCurrentIndex(1)
    dlg.vh_tk_time.setTime(dlg.vh_tk_time.time().fromString("15:30", "HH:mm"))
    qtbot.keyClicks(dlg.vh_url, "https://vh-test.example.org/api")
    assert dlg.vh_table.item(n, 0).text() == "VH-TST"
    assert dlg.vh_table.item(n, 7).text() == "dagelijks 15:30"
    # Remove the first house of the demo.
    first = dlg.vh_table.item(0, 0).text()
    dlg.vh_table.setCurrentCell(0, 0)
    dlg.remove_vh()
    dlg.save()
    assert not dlg.problems.isVisibleTo(dlg), [
        dlg.problems.item(i).text() for i in range(dlg.problems.count())
    ]
    with ctx.db.session() as s:
        st = config.load_settings(s)
        vh = st.vh("VH-TST")
        assert vh is not None and vh.gemeenten == ("Testdorp", "Proefstad")
        assert vh.terugkoppeling == "dagelijks 15:30" and vh.digest_time == "15:30"
        assert vh.register_url == "https://vh-test.example.org/api"
        assert st.vh(first) is None
        last = s.execute(select(AuditEntry).order_by(AuditEntry.id.desc())).scalars().first()
        assert last is not None and last.action == audit.SETTINGS and "VH-TST" in str(last.detail)


def test_invalid_directory_lists_problems_and_changes_nothing(
    qtbot: Any, ctx: AppContext, store: SecretStore
) -> None:
    dlg = make(qtbot, ctx, store)
    dlg.vh_table.setCurrentCell(0, 0)
    dlg.vh_fields["mailbox"].clear()
    qtbot.keyClicks(dlg.vh_fields["mailbox"], "geen-adres")
    dlg.add_vh()  # an empty second entry: code, naam, mailbox missing
    dlg.locatie.clear()
    dlg.smtp_sec.setCurrentIndex(dlg.smtp_sec.findData("geen"))  # plain text to a remote host
    with ctx.db.session() as s:
        before = config.export_toml(config.load_settings(s))
    audits = audit_count(ctx)
    dlg.save()
    problems = [dlg.problems.item(i).text() for i in range(dlg.problems.count())]
    assert dlg.problems.isVisibleTo(dlg)
    assert any("geen geldig e-mailadres" in p for p in problems)
    assert any("zsm_locatie ontbreekt" in p for p in problems)
    assert any("code ontbreekt" in p for p in problems)
    assert any("beveiliging" in p for p in problems)
    assert "Niet opgeslagen" in dlg.message.text()
    with ctx.db.session() as s:
        assert config.export_toml(config.load_settings(s)) == before
    assert audit_count(ctx) == audits


def test_password_goes_only_to_the_secret_store(
    qtbot: Any, ctx: AppContext, store: SecretStore, tmp_path: Path
) -> None:
    dlg = make(qtbot, ctx, store)
    qtbot.keyClicks(dlg.smtp_pw, PASSWORD)
    assert dlg.smtp_pw.echoMode() == dlg.smtp_pw.EchoMode.Password
    dlg.save()
    assert store.get("smtp") == PASSWORD
    assert dlg.smtp_pw.text() == "" and "opgeslagen" in dlg.smtp_pw.placeholderText()
    assert "sleutelopslag" in dlg.message.text()
    # Nowhere in the database file (nor its WAL), nor in the exported configuration.
    ctx.db.dispose()
    path = sqlite_path(ctx.db.url)
    assert path is not None
    for f in path.parent.glob(path.name + "*"):
        assert PASSWORD.encode() not in f.read_bytes(), f
    with ctx.db.session() as s:
        assert PASSWORD not in config.export_toml(config.load_settings(s))


def test_password_without_secure_store_is_kept_for_the_session(qtbot: Any, ctx: AppContext) -> None:
    from keyring.backends import null

    store = SecretStore(null.Keyring())
    dlg = make(qtbot, ctx, store)
    assert "alleen voor deze sessie" in dlg.smtp_store.text()
    qtbot.keyClicks(dlg.smtp_pw, PASSWORD)
    dlg.save()
    assert store.get("smtp") == PASSWORD
    assert "alleen voor deze sessie" in dlg.message.text()


def test_retention_periods_saved(qtbot: Any, ctx: AppContext, store: SecretStore) -> None:
    dlg = make(qtbot, ctx, store)
    dlg.periods["afgesloten_zaak"].setValue(35)
    dlg.periods["verzonden_bericht"].setValue(10)
    dlg.save()
    with ctx.db.session() as s:
        p = retention.load_periods(s)
    assert (p.afgesloten_zaak, p.verzonden_bericht, p.open_zaak) == (35, 10, 90)
    # Open shorter than closed is refused in Dutch.
    dlg.periods["afgesloten_zaak"].setValue(100)
    dlg.periods["open_zaak"].setValue(50)
    dlg.save()
    assert any("niet korter" in dlg.problems.item(i).text() for i in range(dlg.problems.count()))


def _check(dlg: SettingsDialog, account: str, role: Role, on: bool) -> None:
    from zsm_desk.ui.settings_dialog import ROLE_ORDER

    for r in range(dlg.roles_table.rowCount()):
        if dlg.roles_table.item(r, 0).data(Qt.ItemDataRole.UserRole) == account:
            item = dlg.roles_table.item(r, 1 + ROLE_ORDER.index(role))
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
            return
    raise AssertionError(account)


def test_roles_are_set_through_users_set_roles(
    qtbot: Any, ctx: AppContext, store: SecretStore
) -> None:
    dlg = make(qtbot, ctx, store)
    qtbot.keyClicks(dlg.new_account, "nieuw-ovj")
    dlg.add_account()
    _check(dlg, "nieuw-ovj", Role.OFFICIER, True)
    _check(dlg, "jjansen", Role.KPC, False)
    _check(dlg, "jjansen", Role.PARKETSECRETARIS, True)
    dlg.save()
    with ctx.db.session() as s:
        assert users.roles_of(s, "nieuw-ovj") == frozenset({Role.OFFICIER})
        assert users.roles_of(s, "jjansen") == frozenset({Role.PARKETSECRETARIS})
        actions = [e.action for e in s.execute(select(AuditEntry)).scalars()]
        assert actions.count(audit.ROLES) >= 3
    # Nobody beheerder any more: refused.
    _check(dlg, ctx.account, Role.BEHEERDER, False)
    dlg.save()
    assert any("beheerder" in dlg.problems.item(i).text() for i in range(dlg.problems.count()))
    with ctx.db.session() as s:
        assert Role.BEHEERDER in users.roles_of(s, ctx.account)


def test_connection_tests_run_in_the_worker(
    qtbot: Any, ctx: AppContext, store: SecretStore
) -> None:
    calls: list[tuple[str, Any]] = []
    net_jobs: list[str] = []

    def smtp_tester(settings: Any, password: str | None) -> tuple[bool, str]:
        calls.append(("smtp", (settings.host, settings.port, password)))
        return False, "Aanmelden bij de mailserver geweigerd."

    def http_tester(cfg: Any, st: Any, endpoint: str = "instroom") -> tuple[bool, str]:
        calls.append((endpoint, (cfg.url, cfg.auth, cfg.secret_name)))
        return True, f"Verbinding gelukt ({endpoint})."

    base = sync_runner(ctx)

    def run_network(fn: Any, on_done: Any = None, on_error: Any = None) -> None:
        net_jobs.append("job")
        base(fn, on_done, on_error)

    store.set("register:VH-UTR", "token-utr")
    dlg = make(qtbot, ctx, store, smtp_tester=smtp_tester, http_tester=http_tester,
               run_network=run_network)  # fmt: skip
    dlg.smtp_host.setText("smtp.example.org")
    qtbot.keyClicks(dlg.smtp_pw, "getypt")
    qtbot.mouseClick(dlg.smtp_test, Qt.MouseButton.LeftButton)
    assert calls[-1] == ("smtp", ("smtp.example.org", dlg.smtp_port.value(), "getypt"))
    assert dlg.smtp_result.text().startswith("✘") and "geweigerd" in dlg.smtp_result.text()
    assert dlg.smtp_test.isEnabled()

    dlg.feed_url.setText("https://feed.example.org/api")
    qtbot.mouseClick(dlg.feed_test, Qt.MouseButton.LeftButton)
    assert calls[-1] == ("instroom", ("https://feed.example.org/api", None, None))
    assert dlg.feed_result.text().startswith("✔")

    codes = [dlg.vh_table.item(r, 0).text() for r in range(dlg.vh_table.rowCount())]
    dlg.vh_table.setCurrentCell(codes.index("VH-UTR"), 0)
    dlg.vh_url.clear()
    qtbot.keyClicks(dlg.vh_url, "https://vh-utrecht.example.org/api")
    qtbot.mouseClick(dlg.vh_test, Qt.MouseButton.LeftButton)
    assert calls[-1] == (
        "register",
        ("https://vh-utrecht.example.org/api", "token", "register:VH-UTR"),
    )
    assert dlg.vh_test_result.text().startswith("✔")
    assert len(net_jobs) == 3  # every test went through the network runner

    # Without a URL there is nothing to test.
    dlg.vh_url.clear()
    dlg._vh_edited("register_url")
    qtbot.mouseClick(dlg.vh_test, Qt.MouseButton.LeftButton)
    assert "register-URL" in dlg.vh_test_result.text() and len(net_jobs) == 3


def test_shown_dialog_has_no_qt_warnings(qtbot: Any, ctx: AppContext, store: SecretStore) -> None:
    dlg = make(qtbot, ctx, store)
    dlg.show()
    qtbot.waitExposed(dlg)
    for i in range(dlg.tabs.count()):
        dlg.tabs.setCurrentIndex(i)
        qtbot.wait(5)
    dlg.close()


# --- CA bundle -----------------------------------------------------------------------------


def test_ca_bundles_for_feed_and_register_saved_and_tested(
    qtbot: Any, ctx: AppContext, store: SecretStore, tmp_path: Path
) -> None:
    calls: list[tuple[str, Any]] = []

    def http_tester(cfg: Any, st: Any, endpoint: str = "instroom") -> tuple[bool, str]:
        calls.append((endpoint, cfg.ca_bundle))
        return True, "ok"

    dlg = make(qtbot, ctx, store, http_tester=http_tester)
    assert dlg.vh_table.horizontalHeaderItem(9).text() == "CA-bestand"
    dlg.feed_url.setText("https://feed.example.org/api")
    qtbot.keyClicks(dlg.feed_ca, str(tmp_path / "feed-ca.pem"))
    codes = [dlg.vh_table.item(r, 0).text() for r in range(dlg.vh_table.rowCount())]
    dlg.vh_table.setCurrentCell(codes.index("VH-UTR"), 0)
    dlg.vh_url.clear()
    qtbot.keyClicks(dlg.vh_url, "https://vh-utrecht.example.org/api")
    qtbot.keyClicks(dlg.vh_ca, "/etc/zsm/vh-utr-ca.pem")
    assert dlg.vh_table.item(codes.index("VH-UTR"), 9).text() == "/etc/zsm/vh-utr-ca.pem"
    qtbot.mouseClick(dlg.feed_test, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dlg.vh_test, Qt.MouseButton.LeftButton)
    assert calls == [("instroom", str(tmp_path / "feed-ca.pem")),
                     ("register", "/etc/zsm/vh-utr-ca.pem")]  # fmt: skip
    dlg.save()
    assert not dlg.problems.isVisibleTo(dlg)
    with ctx.db.session() as s:
        st = config.load_settings(s)
    assert st.feed is not None and st.feed.ca_bundle == str(tmp_path / "feed-ca.pem")
    vh = st.vh("VH-UTR")
    assert vh is not None and vh.ca_bundle == "/etc/zsm/vh-utr-ca.pem"
    assert all(v.ca_bundle == "" for v in st.veiligheidshuizen if v.code != "VH-UTR")
    # Reloaded into the form; clearing it removes it again.
    assert dlg.feed_ca.text() == str(tmp_path / "feed-ca.pem")
    dlg.vh_table.setCurrentCell(codes.index("VH-UTR"), 0)
    assert dlg.vh_ca.text() == "/etc/zsm/vh-utr-ca.pem"
    dlg.vh_ca.clear()
    dlg._vh_edited("ca_bundle")
    dlg.feed_ca.clear()
    dlg.save()
    with ctx.db.session() as s:
        st = config.load_settings(s)
    assert st.feed is not None and st.feed.ca_bundle == ""
    assert all(v.ca_bundle == "" for v in st.veiligheidshuizen)


# --- Beslissingen (code list) ----------------------------------------------------------------


def _tab(dlg: SettingsDialog, title: str) -> int:
    for i in range(dlg.tabs.count()):
        if dlg.tabs.tabText(i).removesuffix(" *") == title:
            return i
    raise AssertionError(title)


def _codes(dlg: SettingsDialog) -> list[str]:
    return [dlg.codelist_table.item(r, 0).text() for r in range(dlg.codelist_table.rowCount())]


def _problems(widget: Any) -> list[str]:
    return [widget.item(i).text() for i in range(widget.count())]


def test_codelist_tab_shows_defaults_and_hides_the_dialog_save(
    qtbot: Any, ctx: AppContext, store: SecretStore
) -> None:
    from zsm_desk.domain.decisions import DEFAULT_BESLISSINGEN

    dlg = make(qtbot, ctx, store)
    assert _codes(dlg) == [d["code"] for d in DEFAULT_BESLISSINGEN]
    assert dlg.codelist_rows() == [dict(d) for d in DEFAULT_BESLISSINGEN]
    assert dlg.sepotcodes() == ({"01": "ten onrechte als verdachte aangemerkt",
                                 "02": "onvoldoende wettig bewijs"}, [])  # fmt: skip
    assert "Standaardlijst" in dlg.codelist_status.text()
    dlg.show()
    qtbot.waitExposed(dlg)
    dlg.tabs.setCurrentIndex(_tab(dlg, "Beslissingen"))
    assert not dlg.save_btn.isVisible() and dlg.codelist_save.isVisible()
    dlg.tabs.setCurrentIndex(0)
    assert dlg.save_btn.isVisible()
    dlg.close()


def test_codelist_edit_and_save_is_audited_and_used_by_decisions(
    qtbot: Any, ctx: AppContext, store: SecretStore
) -> None:
    from zsm_desk.services.decisions import decisions_service
    from zsm_desk.ui.settings_dialog import CODELIST_FIELDS

    dlg = make(qtbot, ctx, store)
    t = dlg.codelist_table
    dlg.add_code()
    assert dlg.tabs.tabText(_tab(dlg, "Beslissingen")) == "Beslissingen *"
    r = t.rowCount() - 1
    t.item(r, 0).setText("leerstraf")
    t.item(r, 1).setText("Leerstraf (jeugd)")
    t.item(r, 3).setCheckState(Qt.CheckState.Unchecked)  # volwassenen
    col = {k: c for c, (k, _kind) in enumerate(CODELIST_FIELDS)}
    t.cellWidget(r, col["voorwaarden"]).setCurrentText("verplicht")
    # Move it up once, remove "overig", relabel sepotcode 02, add 03.
    t.setCurrentCell(r, 0)
    dlg.move_code(-1)
    assert _codes(dlg)[-2:] == ["leerstraf", "overig"]
    t.setCurrentCell(t.rowCount() - 1, 0)
    dlg.remove_code()
    dlg.sepot_table.item(1, 1).setText("onvoldoende bewijs")
    dlg.add_sepotcode()
    dlg.sepot_table.item(2, 0).setText("03")
    dlg.sepot_table.item(2, 1).setText("andere gronden")
    before = audit_count(ctx)
    dlg.save_codelist()
    assert dlg.codelist_problems.isHidden(), _problems(dlg.codelist_problems)
    assert "opgeslagen" in dlg.codelist_status.text()
    assert dlg.tabs.tabText(_tab(dlg, "Beslissingen")) == "Beslissingen"
    assert audit_count(ctx) == before + 1
    with ctx.db.session() as s:
        cl = decisions_service.load_codelist(s)
        last = s.execute(select(AuditEntry).order_by(AuditEntry.id.desc())).scalars().first()
    assert "overig" not in cl and cl["leerstraf"].voorwaarden == "verplicht"
    assert not cl["leerstraf"].volwassenen and cl["leerstraf"].minderjarigen
    assert [d.code for d in cl][-1] == "leerstraf"
    assert cl.sepotcodes["02"] == "onvoldoende bewijs" and cl.sepotcodes["03"] == "andere gronden"
    assert last is not None and last.action == audit.SETTINGS
    assert "leerstraf" in str(last.detail)

    # Back to the defaults: the Settings are removed, the built-in list applies.
    dlg.restore_codelist_defaults()
    dlg.save_codelist()
    assert "standaardlijst" in dlg.codelist_status.text()
    with ctx.db.session() as s:
        from zsm_desk.services.storage.models import Setting

        assert s.get(Setting, "beslissingen") is None and s.get(Setting, "sepotcodes") is None
        assert "overig" in decisions_service.load_codelist(s)


def test_invalid_codelist_lists_problems_and_saves_nothing(
    qtbot: Any, ctx: AppContext, store: SecretStore
) -> None:
    from zsm_desk.ui.settings_dialog import CODELIST_FIELDS

    col = {k: c for c, (k, _kind) in enumerate(CODELIST_FIELDS)}
    dlg = make(qtbot, ctx, store)
    t = dlg.codelist_table
    codes = _codes(dlg)
    t.cellWidget(codes.index("sepot"), col["sepotcode"]).setCurrentText("toegestaan")
    t.item(codes.index("halt"), col["volwassenen"]).setCheckState(Qt.CheckState.Checked)
    t.item(codes.index("dagvaarden"), 0).setText("Dagvaarden!")
    t.item(codes.index("snelrecht"), 0).setText("strafbeschikking")
    dlg.add_sepotcode()
    dlg.sepot_table.item(2, 0).setText("7")
    dlg.sepot_table.item(2, 1).setText("iets")
    before = audit_count(ctx)
    dlg.save_codelist()
    problems = _problems(dlg.codelist_problems)
    assert not dlg.codelist_problems.isHidden()
    assert any("sepotcode moet 'verplicht'" in p for p in problems)
    assert any("alleen voor minderjarigen" in p for p in problems)
    assert any("'Dagvaarden!' ongeldig" in p for p in problems)
    assert any("dubbel" in p for p in problems)
    assert any("Sepotcode '7'" in p for p in problems)
    assert "Niet opgeslagen" in dlg.codelist_status.text()
    assert audit_count(ctx) == before
    with ctx.db.session() as s:
        from zsm_desk.services.storage.models import Setting

        assert s.get(Setting, "beslissingen") is None and s.get(Setting, "sepotcodes") is None


def test_unsaved_codelist_edits_survive_the_dialog_save(
    qtbot: Any, ctx: AppContext, store: SecretStore
) -> None:
    dlg = make(qtbot, ctx, store)
    dlg.codelist_table.item(0, 1).setText("Sepot (onvoorwaardelijk)")
    dlg.save()  # the other tabs: reloads the state
    assert "opgeslagen" in dlg.message.text()
    assert dlg.codelist_table.item(0, 1).text() == "Sepot (onvoorwaardelijk)"
    assert dlg.tabs.tabText(_tab(dlg, "Beslissingen")) == "Beslissingen *"


def test_codelist_service_refuses_non_beheerder(
    qtbot: Any, ctx: AppContext, store: SecretStore
) -> None:
    dlg = make(qtbot, ctx, store)
    with ctx.db.session() as s:
        users.set_roles(s, ctx.account, "jjansen", frozenset({Role.BEHEERDER}))
        users.set_roles(s, ctx.account, ctx.account, frozenset({Role.KPC}))
    dlg.codelist_table.item(0, 1).setText("Sepot!")
    dlg.save_codelist()
    assert "Niet opgeslagen" in dlg.codelist_status.text()
    with ctx.db.session() as s:
        from zsm_desk.services.storage.models import Setting

        assert s.get(Setting, "beslissingen") is None


# --- Screeningslijsten -----------------------------------------------------------------------


def test_screening_tab_check_and_save(qtbot: Any, ctx: AppContext, store: SecretStore) -> None:
    import json

    from zsm_desk.domain import screening as sc
    from zsm_desk.services.adviesvragen import screening_service

    dlg = make(qtbot, ctx, store)
    defaults = sc.default_checklists()
    assert json.loads(dlg.screening_edit.toPlainText()) == sc.checklists_to_list(defaults)
    assert dlg.screening_tree.topLevelItemCount() == len(defaults)
    top = dlg.screening_tree.topLevelItem(0)
    assert top.text(1) == defaults[0].code and top.childCount() == len(defaults[0].groepen)
    assert "Standaardlijsten" in dlg.screening_status.text()

    # Broken JSON: a Dutch message with the line, nothing saved.
    dlg.screening_edit.setPlainText('[{"code": "x",]')
    assert dlg.tabs.tabText(_tab(dlg, "Screeningslijsten")) == "Screeningslijsten *"
    before = audit_count(ctx)
    dlg.save_screening()
    assert any("Geen geldige JSON op regel 1" in p for p in _problems(dlg.screening_problems))
    assert audit_count(ctx) == before
    # Valid JSON but an invalid list: the domain's Dutch message.
    data = sc.checklists_to_list(defaults)
    data[0]["criteria"][0]["groep"] = "bestaat_niet"
    dlg.screening_edit.setPlainText(json.dumps(data))
    assert dlg.check_screening() is None
    assert any("onbekende groep" in p for p in _problems(dlg.screening_problems))
    dlg.save_screening()
    assert audit_count(ctx) == before
    # An empty list is refused too.
    dlg.screening_edit.setPlainText("[]")
    assert dlg.check_screening() is None

    # A real change: one criterion text, one list removed.
    data = sc.checklists_to_list(defaults)
    data[0]["criteria"][0]["tekst"] = "Aangepaste tekst van het eerste criterium"
    del data[-1]
    dlg.screening_edit.setPlainText(json.dumps(data))
    assert dlg.check_screening() is not None and "In orde" in dlg.screening_status.text()
    assert dlg.screening_tree.topLevelItemCount() == len(defaults) - 1
    dlg.save_screening()
    assert "opgeslagen" in dlg.screening_status.text(), _problems(dlg.screening_problems)
    assert dlg.tabs.tabText(_tab(dlg, "Screeningslijsten")) == "Screeningslijsten"
    assert audit_count(ctx) == before + 1
    with ctx.db.session() as s:
        stored = screening_service.load_checklists(s)
    assert len(stored) == len(defaults) - 1
    assert stored[0].criteria[0].tekst == "Aangepaste tekst van het eerste criterium"
    # Pretty-printed after the save.
    assert dlg.screening_edit.toPlainText().startswith('[\n  {\n    "code"')

    # Standaard herstellen + Opslaan: the Setting is removed.
    dlg.restore_screening_defaults()
    dlg.save_screening()
    assert "(standaard)" in dlg.screening_status.text()
    with ctx.db.session() as s:
        from zsm_desk.services.storage.models import Setting

        assert s.get(Setting, screening_service.SETTING_KEY) is None
    assert audit_count(ctx) == before + 2


def test_invalid_stored_lists_still_open_for_repair(
    qtbot: Any, ctx: AppContext, store: SecretStore
) -> None:
    from zsm_desk.services.storage.models import Setting

    with ctx.db.session() as s:
        s.add(Setting(key="screeningslijsten", value=[{"code": "kapot"}]))
        s.add(Setting(key="beslissingen", value=[{"code": "sepot", "label": "Sepot",
                                                  "soort": "afdoening"}]))  # fmt: skip
    dlg = make(qtbot, ctx, store)
    assert dlg.state is not None and dlg.state.may_manage
    assert '"kapot"' in dlg.screening_edit.toPlainText()
    assert not dlg.screening_problems.isHidden() and "ongeldig" in dlg.screening_status.text()
    assert _codes(dlg) == ["sepot"]
    assert any("verplicht" in p for p in _problems(dlg.codelist_problems))
    assert "ongeldig" in dlg.codelist_status.text()
