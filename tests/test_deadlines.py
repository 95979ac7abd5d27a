"""Tests for zsm_desk.domain.deadlines (queue countdown, adviesvraag deadlines, office hours)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import holidays
import pytest

from zsm_desk.domain.deadlines import (
    PRESET_LABELS,
    DeadlineState,
    OfficeHours,
    Preset,
    WorkCalendar,
    compute_deadline,
    deadline_state,
    effective_asking_moment,
    format_remaining,
    parse_office_hours,
    queue_deadline,
    resolve_local,
)

AMS = ZoneInfo("Europe/Amsterdam")
UTC = dt.UTC
CET = dt.timezone(dt.timedelta(hours=1))
CEST = dt.timezone(dt.timedelta(hours=2))


def ams(y: int, mo: int, d: int, h: int = 0, mi: int = 0, fold: int = 0) -> dt.datetime:
    return dt.datetime(y, mo, d, h, mi, tzinfo=AMS, fold=fold)


def same_instant(a: dt.datetime, b: dt.datetime) -> bool:
    """Compare instants; == on same-tzinfo datetimes ignores the offset."""
    return a.astimezone(UTC) == b.astimezone(UTC)


def assert_local(result: dt.datetime, expected_wall: dt.datetime, offset_hours: int) -> None:
    """Result shows ``expected_wall`` on the Amsterdam clock with the given UTC offset."""
    local = result.astimezone(AMS)
    assert local.replace(tzinfo=None) == expected_wall
    assert local.utcoffset() == dt.timedelta(hours=offset_hours)


# ---------------------------------------------------------------------------
# Queue deadline
# ---------------------------------------------------------------------------


class TestQueueDeadline:
    def test_six_hours_default(self) -> None:
        start = dt.datetime.fromisoformat("2026-11-22T07:43:00+01:00")
        assert_local(queue_deadline(start), dt.datetime(2026, 11, 22, 13, 43), 1)

    def test_norm_from_config(self) -> None:
        start = ams(2026, 6, 1, 9)
        assert_local(queue_deadline(start, norm_hours=8), dt.datetime(2026, 6, 1, 17), 2)

    def test_utc_input_is_shown_in_amsterdam(self) -> None:
        result = queue_deadline(dt.datetime(2026, 6, 1, 7, tzinfo=UTC))
        assert result.tzinfo == AMS
        assert_local(result, dt.datetime(2026, 6, 1, 15), 2)

    def test_summer_time_start_is_six_real_hours(self) -> None:
        # 00:30 CET on 29 March 2026; clocks jump 02:00 -> 03:00.
        start = ams(2026, 3, 29, 0, 30)
        result = queue_deadline(start)
        assert_local(result, dt.datetime(2026, 3, 29, 7, 30), 2)
        assert result.astimezone(UTC) - start.astimezone(UTC) == dt.timedelta(hours=6)

    def test_summer_time_end_is_six_real_hours(self) -> None:
        # 00:30 CEST on 25 October 2026; clocks go back 03:00 -> 02:00.
        start = ams(2026, 10, 25, 0, 30)
        result = queue_deadline(start)
        assert_local(result, dt.datetime(2026, 10, 25, 5, 30), 1)
        assert result.astimezone(UTC) - start.astimezone(UTC) == dt.timedelta(hours=6)

    def test_naive_rejected(self) -> None:
        with pytest.raises(ValueError, match="geen tijdzone"):
            queue_deadline(dt.datetime(2026, 6, 1, 9))

    @pytest.mark.parametrize("norm", [0, -6, True, 6.5])
    def test_bad_norm_rejected(self, norm: object) -> None:
        with pytest.raises(ValueError, match="ZSM-norm"):
            queue_deadline(ams(2026, 6, 1, 9), norm_hours=norm)  # type: ignore[arg-type]


class TestDeadlineState:
    deadline = ams(2026, 6, 1, 15)

    def test_ok(self) -> None:
        state, left = deadline_state(self.deadline, ams(2026, 6, 1, 13, 59))
        assert state is DeadlineState.OK
        assert left == dt.timedelta(hours=1, minutes=1)

    def test_exactly_one_hour_is_still_ok(self) -> None:
        assert deadline_state(self.deadline, ams(2026, 6, 1, 14))[0] is DeadlineState.OK

    def test_bijna(self) -> None:
        state, left = deadline_state(self.deadline, ams(2026, 6, 1, 14, 1))
        assert state is DeadlineState.BIJNA
        assert left == dt.timedelta(minutes=59)

    def test_at_deadline_is_verlopen(self) -> None:
        assert deadline_state(self.deadline, self.deadline)[0] is DeadlineState.VERLOPEN

    def test_late(self) -> None:
        state, left = deadline_state(self.deadline, ams(2026, 6, 1, 18, 10))
        assert state is DeadlineState.VERLOPEN
        assert left == -dt.timedelta(hours=3, minutes=10)

    def test_across_dst_uses_real_time(self) -> None:
        # Same ZoneInfo on both sides: naive subtraction would say 2 h left.
        deadline = ams(2026, 3, 29, 3, 30)
        now = ams(2026, 3, 29, 1, 30)
        state, left = deadline_state(deadline, now)
        assert left == dt.timedelta(hours=1)
        assert state is DeadlineState.OK
        state, left = deadline_state(deadline, ams(2026, 3, 29, 1, 31))
        assert state is DeadlineState.BIJNA

    def test_across_dst_end_uses_real_time(self) -> None:
        # 02:30 first (CEST) to 02:30 second (CET) is one real hour.
        _, left = deadline_state(ams(2026, 10, 25, 2, 30, fold=1), ams(2026, 10, 25, 2, 30))
        assert left == dt.timedelta(hours=1)

    def test_custom_threshold(self) -> None:
        state, _ = deadline_state(self.deadline, ams(2026, 6, 1, 13), bijna=dt.timedelta(hours=3))
        assert state is DeadlineState.BIJNA


class TestFormatRemaining:
    @pytest.mark.parametrize(
        ("td", "text"),
        [
            (dt.timedelta(hours=2, minutes=5), "nog 2 u 05 min"),
            (dt.timedelta(hours=2, minutes=5, seconds=59), "nog 2 u 05 min"),
            (dt.timedelta(minutes=12), "nog 12 min"),
            (dt.timedelta(hours=1), "nog 1 u 00 min"),
            (dt.timedelta(seconds=30), "nog minder dan 1 min"),
            (dt.timedelta(0), "zojuist verlopen"),
            (-dt.timedelta(seconds=59), "zojuist verlopen"),
            (-dt.timedelta(minutes=12), "12 min te laat"),
            (-dt.timedelta(hours=3, minutes=10), "3 u 10 min te laat"),
            (dt.timedelta(days=6, hours=4, minutes=30), "nog 6 dagen 4 u"),
            (dt.timedelta(days=1), "nog 1 dag"),
            (-dt.timedelta(days=2, hours=1), "2 dagen 1 u te laat"),
        ],
    )
    def test_texts(self, td: dt.timedelta, text: str) -> None:
        assert format_remaining(td) == text

    def test_matches_state(self) -> None:
        deadline = ams(2026, 6, 1, 15)
        _, left = deadline_state(deadline, dt.datetime(2026, 6, 1, 12, 54, 30, tzinfo=AMS))
        assert format_remaining(left) == "nog 2 u 05 min"


# ---------------------------------------------------------------------------
# Working-day calendar
# ---------------------------------------------------------------------------


class TestWorkCalendar:
    cal = WorkCalendar()

    @pytest.mark.parametrize(
        ("day", "name"),
        [
            (dt.date(2026, 1, 1), "Nieuwjaarsdag"),
            (dt.date(2026, 4, 6), "Tweede paasdag"),
            (dt.date(2026, 4, 27), "Koningsdag"),
            (dt.date(2026, 5, 14), "Hemelvaartsdag"),
            (dt.date(2026, 5, 25), "Tweede pinksterdag"),
            (dt.date(2026, 12, 25), "Eerste kerstdag"),
            (dt.date(2025, 5, 5), "Bevrijdingsdag"),  # lustrum year
        ],
    )
    def test_holidays_are_not_working_days(self, day: dt.date, name: str) -> None:
        assert self.cal.feestdag(day) == name
        assert not self.cal.is_werkdag(day)

    def test_koningsdag_on_sunday_moves_to_saturday(self) -> None:
        # 27 April 2025 was a Sunday.
        assert self.cal.feestdag(dt.date(2025, 4, 26)) == "Koningsdag"
        assert self.cal.is_werkdag(dt.date(2025, 4, 28))

    def test_bevrijdingsdag_outside_lustrum_is_working_day(self) -> None:
        assert self.cal.is_werkdag(dt.date(2026, 5, 5))  # Tuesday

    def test_goede_vrijdag_follows_package(self) -> None:
        # Documented choice: whatever the package's default NL category says.
        good_friday = dt.date(2026, 4, 3)
        in_package = good_friday in holidays.country_holidays("NL", years=2026)
        assert self.cal.is_werkdag(good_friday) is not in_package

    def test_goede_vrijdag_can_be_made_a_working_day(self) -> None:
        cal = WorkCalendar(negeer=frozenset({"Goede vrijdag"}))
        assert cal.is_werkdag(dt.date(2026, 4, 3))

    def test_extra_closing_day(self) -> None:
        cal = WorkCalendar(extra_vrij=frozenset({dt.date(2026, 6, 3)}))
        assert not cal.is_werkdag(dt.date(2026, 6, 3))

    def test_weekend(self) -> None:
        assert not self.cal.is_werkdag(dt.date(2026, 6, 6))
        assert not self.cal.is_werkdag(dt.date(2026, 6, 7))
        assert self.cal.is_werkdag(dt.date(2026, 6, 8))


# ---------------------------------------------------------------------------
# Office hours
# ---------------------------------------------------------------------------


class TestOfficeHoursParse:
    def test_default(self) -> None:
        oh = OfficeHours.parse("ma-vr 08:30-17:00")
        assert oh.vensters[0] == ((510, 1020),)
        assert oh.vensters[5] == ()
        assert oh.describe() == "maandag t/m vrijdag 08:30–17:00 (niet op feestdagen)"

    def test_split_friday(self) -> None:
        oh = OfficeHours.parse("ma-do 09:00-17:00, vr 09:00-12:00")
        assert oh.describe() == (
            "maandag t/m donderdag 09:00–17:00; vrijdag 09:00–12:00 (niet op feestdagen)"
        )

    def test_always(self) -> None:
        oh = OfficeHours.parse("24/7")
        assert oh.altijd_open
        assert "24/7" in oh.describe()

    @pytest.mark.parametrize(
        "spec",
        [
            "Ma-Vr 8:30-17:00",
            "ma t/m vr 08.30 - 17.00",
            "maandag-vrijdag 08:30–17:00",
            "  ma-vr   08:30-17:00  ",
        ],
    )
    def test_variants(self, spec: str) -> None:
        assert OfficeHours.parse(spec).vensters == OfficeHours.parse("ma-vr 08:30-17:00").vensters

    def test_lunch_break(self) -> None:
        a = OfficeHours.parse("ma-vr 08:30-12:00 en 13:00-17:00")
        b = OfficeHours.parse("ma-vr 08:30-12:00, 13:00-17:00")
        assert a.vensters == b.vensters
        assert a.vensters[2] == ((510, 720), (780, 1020))

    def test_wrapping_day_range(self) -> None:
        oh = OfficeHours.parse("vr-ma 10:00-24:00")
        assert [bool(v) for v in oh.vensters] == [True, False, False, False, True, True, True]

    def test_alias(self) -> None:
        assert parse_office_hours("ma-vr 08:30-17:00") == OfficeHours.parse("ma-vr 08:30-17:00")

    @pytest.mark.parametrize(
        ("spec", "fragment"),
        [
            ("", "leeg"),
            ("   ", "leeg"),
            ("mo-fr 08:30-17:00", "onbekende dag 'mo'"),
            ("ma-vr", "geen tijden"),
            ("08:30-17:00", "geen dagen"),
            ("ma-vr 17:00-08:30", "ligt niet na begintijd"),
            ("ma-vr 25:00-26:00", "ongeldige tijd"),
            ("ma-vr 08:70-17:00", "ongeldige tijd"),
            ("ma-vr 24:00-24:00", "ongeldige tijd"),
            ("ma-vr 08:30-17:00, vr 09:00-12:00", "overlappen"),
            ("ma-vr 08:30-17:00 ongeveer", "kan de tijden"),
            ("kantooruren", "geen tijden"),
            ("ma-vr 08:30-17:00,", "lege regel"),
        ],
    )
    def test_errors_are_dutch(self, spec: str, fragment: str) -> None:
        with pytest.raises(ValueError, match="Bereikbaarheid") as info:
            OfficeHours.parse(spec)
        assert fragment in str(info.value)
        assert "ma-vr 08:30-17:00" in str(info.value)  # shows an example


class TestOfficeHoursQueries:
    oh = OfficeHours.parse("ma-vr 08:30-17:00")

    def test_is_open(self) -> None:
        assert self.oh.is_open(ams(2026, 6, 1, 8, 30))
        assert self.oh.is_open(ams(2026, 6, 1, 16, 59))
        assert not self.oh.is_open(ams(2026, 6, 1, 17))
        assert not self.oh.is_open(ams(2026, 6, 1, 8, 29))
        assert not self.oh.is_open(ams(2026, 6, 6, 10))  # Saturday

    def test_is_open_converts_to_local(self) -> None:
        # 07:00 UTC is 09:00 CEST.
        assert self.oh.is_open(dt.datetime(2026, 6, 1, 7, tzinfo=UTC))

    def test_closed_on_holiday(self) -> None:
        assert not self.oh.is_open(ams(2026, 4, 27, 10))  # Koningsdag
        assert OfficeHours.parse("24/7").is_open(ams(2026, 12, 25, 3))

    def test_next_opening_when_open_is_now(self) -> None:
        moment = ams(2026, 6, 1, 10)
        assert self.oh.next_opening(moment) == moment

    def test_next_opening_later_today(self) -> None:
        assert self.oh.next_opening(ams(2026, 6, 1, 7)) == ams(2026, 6, 1, 8, 30)

    def test_next_opening_over_weekend(self) -> None:
        assert self.oh.next_opening(ams(2026, 6, 5, 17)) == ams(2026, 6, 8, 8, 30)

    def test_next_opening_over_christmas_and_new_year(self) -> None:
        # Thu 24 Dec 2026 evening -> 25/26 holiday, weekend -> Mon 28 Dec.
        assert self.oh.next_opening(ams(2026, 12, 24, 18)) == ams(2026, 12, 28, 8, 30)
        # Thu 31 Dec evening -> Fri 1 Jan holiday, weekend -> Mon 4 Jan 2027.
        assert self.oh.next_opening(ams(2026, 12, 31, 18)) == ams(2027, 1, 4, 8, 30)

    def test_next_opening_after_lunch_break(self) -> None:
        oh = OfficeHours.parse("ma-vr 08:30-12:00 en 13:00-17:00")
        assert not oh.is_open(ams(2026, 6, 1, 12, 30))
        assert oh.next_opening(ams(2026, 6, 1, 12, 30)) == ams(2026, 6, 1, 13)

    def test_next_opening_on_dst_day(self) -> None:
        oh = OfficeHours.parse("zo 02:30-04:00")
        opening = oh.next_opening(ams(2026, 3, 29, 0))
        # 02:30 does not exist that night: shifted forward to 03:30 CEST.
        assert_local(opening, dt.datetime(2026, 3, 29, 3, 30), 2)

    def test_werkdag_narrowed_by_office_hours(self) -> None:
        oh = OfficeHours.parse("ma-do 09:00-17:00")
        assert not oh.is_werkdag(dt.date(2026, 6, 5))  # Friday, closed
        zat = OfficeHours.parse("ma-za 09:00-17:00")
        assert not zat.is_werkdag(dt.date(2026, 6, 6))  # Saturday never a werkdag

    def test_naive_rejected(self) -> None:
        with pytest.raises(ValueError, match="geen tijdzone"):
            self.oh.is_open(dt.datetime(2026, 6, 1, 10))

    def test_effective_asking_moment(self) -> None:
        assert effective_asking_moment(ams(2026, 6, 6, 23), self.oh) == ams(2026, 6, 8, 8, 30)


# ---------------------------------------------------------------------------
# Adviesvraag deadlines
# ---------------------------------------------------------------------------

NWD = "volgende-werkdag-13"


class TestVolgendeWerkdag13:
    @pytest.mark.parametrize(
        ("asked", "expected"),
        [
            # Monday 1 June 2026 during office hours, before and after 13:00.
            (ams(2026, 6, 1, 8, 45), ams(2026, 6, 2, 13)),
            (ams(2026, 6, 1, 10), ams(2026, 6, 2, 13)),
            (ams(2026, 6, 1, 15), ams(2026, 6, 2, 13)),
            # Before opening: the VH sees it at 08:30 the same day.
            (ams(2026, 6, 1, 7), ams(2026, 6, 2, 13)),
            # Friday afternoon in office hours -> Monday.
            (ams(2026, 6, 5, 14), ams(2026, 6, 8, 13)),
            # Friday after closing -> seen Monday 08:30 -> Tuesday.
            (ams(2026, 6, 5, 18), ams(2026, 6, 9, 13)),
            # Saturday night and Sunday -> seen Monday -> Tuesday.
            (ams(2026, 6, 6, 23, 30), ams(2026, 6, 9, 13)),
            (ams(2026, 6, 7, 12), ams(2026, 6, 9, 13)),
        ],
    )
    def test_basic(self, asked: dt.datetime, expected: dt.datetime) -> None:
        assert same_instant(compute_deadline(NWD, asked), expected)

    def test_koningsdag_2026(self) -> None:
        # Fri 24 April; Mon 27 April is Koningsdag.
        assert compute_deadline(NWD, ams(2026, 4, 24, 10)) == ams(2026, 4, 28, 13)

    def test_asked_on_koningsdag(self) -> None:
        # VH closed on Koningsdag: seen Tue 28 April -> Wed 29 April.
        assert compute_deadline(NWD, ams(2026, 4, 27, 10)) == ams(2026, 4, 29, 13)

    def test_hemelvaart_2026(self) -> None:
        assert compute_deadline(NWD, ams(2026, 5, 13, 10)) == ams(2026, 5, 15, 13)

    def test_pinksteren_2026(self) -> None:
        # Fri 22 May; Sun 24 and Mon 25 May are Pinksteren.
        assert compute_deadline(NWD, ams(2026, 5, 22, 10)) == ams(2026, 5, 26, 13)

    def test_kerst_asked_24_december_afternoon(self) -> None:
        # Thu 24 Dec 2026 15:00; Fri 25 and Sat 26 are kerst.
        assert compute_deadline(NWD, ams(2026, 12, 24, 15)) == ams(2026, 12, 28, 13)

    def test_kerst_friday_23_december(self) -> None:
        # 2022: Fri 23 Dec, kerst on Sun 25 and Mon 26 Dec.
        assert compute_deadline(NWD, ams(2022, 12, 23, 14)) == ams(2022, 12, 27, 13)

    def test_kerst_on_weekend_gives_no_extra_day(self) -> None:
        # 2027: Fri 24 Dec, kerst on Sat/Sun; NL has no substitute Monday.
        assert compute_deadline(NWD, ams(2027, 12, 24, 14)) == ams(2027, 12, 27, 13)

    def test_nieuwjaar(self) -> None:
        assert compute_deadline(NWD, ams(2026, 12, 31, 10)) == ams(2027, 1, 4, 13)

    def test_summer_time_start(self) -> None:
        result = compute_deadline(NWD, ams(2026, 3, 27, 10))
        assert_local(result, dt.datetime(2026, 3, 30, 13), 2)

    def test_summer_time_end(self) -> None:
        result = compute_deadline(NWD, ams(2026, 10, 23, 10))
        assert_local(result, dt.datetime(2026, 10, 26, 13), 1)

    def test_asked_during_dst_night(self) -> None:
        # Sat 24 Oct -> Sun 25 Oct 02:30 (second, CET): VH opens Monday -> Tuesday.
        result = compute_deadline(NWD, ams(2026, 10, 25, 2, 30, fold=1))
        assert_local(result, dt.datetime(2026, 10, 27, 13), 1)

    def test_friday_short_hours_are_still_a_working_day(self) -> None:
        oh = "ma-do 09:00-17:00, vr 09:00-12:00"
        # Thursday -> Friday 13:00 even though the office closes at 12:00.
        assert compute_deadline(NWD, ams(2026, 6, 4, 10), office_hours=oh) == ams(2026, 6, 5, 13)
        # Friday 12:30 is after closing: seen Monday -> Tuesday.
        assert compute_deadline(NWD, ams(2026, 6, 5, 12, 30), office_hours=oh) == ams(
            2026, 6, 9, 13
        )

    def test_office_closed_on_friday(self) -> None:
        oh = OfficeHours.parse("ma-do 09:00-17:00")
        assert compute_deadline(NWD, ams(2026, 6, 4, 10), office_hours=oh) == ams(2026, 6, 8, 13)

    def test_24_7_office_counts_from_asking_day(self) -> None:
        # Saturday night, VH reachable 24/7: first werkdag after Saturday is Monday.
        assert compute_deadline(NWD, ams(2026, 6, 6, 23), office_hours="24/7") == ams(
            2026, 6, 8, 13
        )

    @pytest.mark.parametrize("spec", ["soms", ""])
    def test_bad_office_hours_propagate(self, spec: str) -> None:
        with pytest.raises(ValueError, match="Bereikbaarheid"):
            compute_deadline(NWD, ams(2026, 6, 1, 10), office_hours=spec)


class TestVijfWerkdagen:
    def test_plain_week(self) -> None:
        # Mon 1 June 10:00 -> Mon 8 June 17:00.
        assert compute_deadline("5-werkdagen", ams(2026, 6, 1, 10)) == ams(2026, 6, 8, 17)

    def test_over_pinksteren(self) -> None:
        # Wed 20 May: Thu 21, Fri 22, (Mon 25 Pinksteren) Tue 26, Wed 27, Thu 28.
        assert compute_deadline("5-werkdagen", ams(2026, 5, 20, 10)) == ams(2026, 5, 28, 17)

    def test_asked_outside_office_hours(self) -> None:
        # Wed 20 May 18:00 counts from Thu 21 08:30 -> Fri 29 May.
        assert compute_deadline("5-werkdagen", ams(2026, 5, 20, 18)) == ams(2026, 5, 29, 17)

    def test_over_koningsdag_and_hemelvaart(self) -> None:
        assert compute_deadline("5-werkdagen", ams(2026, 4, 21, 10)) == ams(2026, 4, 29, 17)
        # Mon 11 May: Tue 12, Wed 13, (Thu 14 Hemelvaart) Fri 15, Mon 18, Tue 19.
        assert compute_deadline("5-werkdagen", ams(2026, 5, 11, 10)) == ams(2026, 5, 19, 17)

    def test_closing_time_from_office_hours(self) -> None:
        oh = "ma-do 09:00-17:00, vr 09:00-12:00"
        # Fri 5 June -> Fri 12 June, when the VH closes at 12:00.
        assert compute_deadline("5-werkdagen", ams(2026, 6, 5, 10), office_hours=oh) == ams(
            2026, 6, 12, 12
        )
        assert compute_deadline("5-werkdagen", ams(2026, 6, 4, 10), office_hours=oh) == ams(
            2026, 6, 11, 17
        )

    def test_kerst_and_nieuwjaar(self) -> None:
        # Thu 24 Dec 2026: Mon 28, Tue 29, Wed 30, Thu 31, (Fri 1 Jan) Mon 4 Jan.
        assert compute_deadline("5-werkdagen", ams(2026, 12, 24, 10)) == ams(2027, 1, 4, 17)

    def test_across_summer_time_end(self) -> None:
        result = compute_deadline("5-werkdagen", ams(2026, 10, 22, 10))
        assert_local(result, dt.datetime(2026, 10, 29, 17), 1)

    def test_24_7_ends_at_17(self) -> None:
        assert compute_deadline("5-werkdagen", ams(2026, 6, 6, 23), office_hours="24/7") == ams(
            2026, 6, 12, 17
        )


class TestVierentwintigUur:
    def test_plain(self) -> None:
        assert same_instant(
            compute_deadline("24-uur", ams(2026, 6, 6, 23, 15)), ams(2026, 6, 7, 23, 15)
        )

    def test_summer_time_start_is_25_wall_hours(self) -> None:
        asked = ams(2026, 3, 28, 12)
        result = compute_deadline("24-uur", asked)
        assert_local(result, dt.datetime(2026, 3, 29, 13), 2)
        assert result.astimezone(UTC) - asked.astimezone(UTC) == dt.timedelta(hours=24)

    def test_summer_time_end_is_23_wall_hours(self) -> None:
        asked = ams(2026, 10, 24, 12)
        result = compute_deadline("24-uur", asked)
        assert_local(result, dt.datetime(2026, 10, 25, 11), 1)
        assert result.astimezone(UTC) - asked.astimezone(UTC) == dt.timedelta(hours=24)

    def test_ignores_office_hours_and_holidays(self) -> None:
        assert same_instant(
            compute_deadline("24-uur", ams(2026, 12, 24, 20)), ams(2026, 12, 25, 20)
        )


class TestZevenDagen:
    def test_summer_time_start_keeps_wall_time(self) -> None:
        asked = ams(2026, 3, 25, 12)
        result = compute_deadline("7-dagen", asked)
        assert_local(result, dt.datetime(2026, 4, 1, 12), 2)
        assert result.astimezone(UTC) - asked.astimezone(UTC) == dt.timedelta(hours=167)

    def test_summer_time_end_keeps_wall_time(self) -> None:
        asked = ams(2026, 10, 21, 12)
        result = compute_deadline("7-dagen", asked)
        assert_local(result, dt.datetime(2026, 10, 28, 12), 1)
        assert result.astimezone(UTC) - asked.astimezone(UTC) == dt.timedelta(hours=169)

    def test_non_existent_time_shifts_forward(self) -> None:
        result = compute_deadline("7-dagen", ams(2026, 3, 22, 2, 30))
        assert_local(result, dt.datetime(2026, 3, 29, 3, 30), 2)

    def test_ambiguous_time_takes_first(self) -> None:
        result = compute_deadline("7-dagen", ams(2026, 10, 18, 2, 30))
        assert_local(result, dt.datetime(2026, 10, 25, 2, 30), 2)

    def test_input_in_other_zone(self) -> None:
        result = compute_deadline("7-dagen", dt.datetime(2026, 6, 1, 8, tzinfo=UTC))
        assert_local(result, dt.datetime(2026, 6, 8, 10), 2)


class TestCustomAndErrors:
    asked = ams(2026, 6, 1, 10)

    def test_iso_with_offset(self) -> None:
        result = compute_deadline("2026-06-03T12:00:00+00:00", self.asked)
        assert result.tzinfo == AMS
        assert_local(result, dt.datetime(2026, 6, 3, 14), 2)

    def test_iso_without_offset_is_local(self) -> None:
        result = compute_deadline("2026-06-03T13:00", self.asked)
        assert_local(result, dt.datetime(2026, 6, 3, 13), 2)

    def test_iso_without_offset_in_gap(self) -> None:
        result = compute_deadline("2026-03-29T02:30", ams(2026, 3, 28, 10))
        assert_local(result, dt.datetime(2026, 3, 29, 3, 30), 2)

    def test_iso_in_past(self) -> None:
        with pytest.raises(ValueError, match="ligt niet na het vraagmoment"):
            compute_deadline("2026-05-31T13:00+02:00", self.asked)

    def test_iso_equal_to_asked(self) -> None:
        with pytest.raises(ValueError, match="ligt niet na"):
            compute_deadline(self.asked.isoformat(), self.asked)

    def test_date_only_rejected(self) -> None:
        with pytest.raises(ValueError, match="mist een tijd"):
            compute_deadline("2026-06-03", self.asked)

    def test_unknown_preset(self) -> None:
        with pytest.raises(ValueError, match="Onbekende termijn") as info:
            compute_deadline("morgen", self.asked)
        assert "volgende-werkdag-13" in str(info.value)

    def test_preset_case_and_spaces(self) -> None:
        assert compute_deadline(" 24-UUR ", self.asked) == compute_deadline("24-uur", self.asked)

    def test_naive_asked_rejected(self) -> None:
        with pytest.raises(ValueError, match="geen tijdzone"):
            compute_deadline("24-uur", dt.datetime(2026, 6, 1, 10))

    def test_unknown_zone(self) -> None:
        with pytest.raises(ValueError, match="tijdzone"):
            compute_deadline("24-uur", self.asked, tz="Europe/Nergens")

    def test_labels_cover_presets(self) -> None:
        assert set(PRESET_LABELS) == set(Preset)
        assert PRESET_LABELS[Preset.VOLGENDE_WERKDAG_13] == "volgende werkdag 13:00"

    def test_tz_sets_the_wall_clock(self) -> None:
        # tz is the zone whose clock "13:00" refers to, and the result's zone.
        result = compute_deadline(NWD, self.asked, tz="UTC")
        assert result == dt.datetime(2026, 6, 2, 13, tzinfo=ZoneInfo("UTC"))


class TestResolveLocal:
    def test_normal(self) -> None:
        assert resolve_local(dt.datetime(2026, 6, 1, 9)).utcoffset() == dt.timedelta(hours=2)

    def test_gap(self) -> None:
        assert resolve_local(dt.datetime(2026, 3, 29, 2, 0)) == dt.datetime(
            2026, 3, 29, 3, 0, tzinfo=CEST
        )

    def test_fold(self) -> None:
        result = resolve_local(dt.datetime(2026, 10, 25, 2, 30))
        assert result.utcoffset() == dt.timedelta(hours=2)
        assert same_instant(result, dt.datetime(2026, 10, 25, 2, 30, tzinfo=CEST))
        assert not same_instant(result, dt.datetime(2026, 10, 25, 2, 30, tzinfo=CET))
