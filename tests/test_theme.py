"""State colours: WCAG AA in the light and the dark variant, chosen by the palette."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette

from zsm_desk.ui import theme
from zsm_desk.ui.theme import AA, DARK, LIGHT, REFERENCE_BACKGROUNDS, State, contrast


def test_contrast_formula_matches_wcag_examples() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast("#ffffff", "#ffffff") == pytest.approx(1.0)


def test_every_state_has_both_variants() -> None:
    assert set(LIGHT) == set(State) == set(DARK)
    for state in State:
        assert (LIGHT[state].bg is None) == (DARK[state].bg is None), state


@pytest.mark.parametrize("variant", ["licht", "donker"])
def test_every_pair_meets_aa(variant: str) -> None:
    table = LIGHT if variant == "licht" else DARK
    failures = []
    for state, p in table.items():
        backgrounds = (p.bg,) if p.bg else REFERENCE_BACKGROUNDS[variant]
        for b in backgrounds:
            ratio = contrast(p.fg, b)
            if ratio < AA:
                failures.append(f"{variant} {state.name}: {p.fg} op {b} = {ratio:.2f}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    ("variant", "charts"), [("licht", theme.CHART_LIGHT), ("donker", theme.CHART_DARK)]
)
def test_chart_bars_meet_graphics_contrast(variant: str, charts: dict[str, str]) -> None:
    for name in ("volwassen", "minderjarig", "accent"):
        for b in REFERENCE_BACKGROUNDS[variant]:
            assert contrast(charts[name], b) >= 3.0, (variant, name, b)


def test_old_hard_coded_colours_fail_in_dark() -> None:
    """What the issue measured: white text on the old pale backgrounds."""
    assert contrast("#ffffff", "#e6f0ff") < AA  # KNOWN_BG
    assert contrast("#ffffff", "#fff7cc") < AA  # MAYBE_BG / review yellow
    assert contrast("#555555", "#2b2b2b") < AA  # detail labels


@pytest.mark.gui
def test_variant_follows_the_palette(qapp) -> None:  # type: ignore[no-untyped-def]
    light = QPalette()
    light.setColor(QPalette.ColorRole.Window, QColor("#efefef"))
    assert not theme.is_dark(light)
    assert theme.hex_fg(State.KNOWN, light) == LIGHT[State.KNOWN].fg
    dark = theme.dark_palette()
    assert theme.is_dark(dark)
    assert theme.hex_fg(State.KNOWN, dark) == DARK[State.KNOWN].fg
    assert (
        theme.css(State.DIFF, dark)
        == f"color:{DARK[State.DIFF].fg};background:{DARK[State.DIFF].bg}"
    )
    # The dark palette's own text is readable on its own backgrounds.
    for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base):
        assert contrast(dark.color(QPalette.ColorRole.Text).name(), dark.color(role).name()) >= AA


@pytest.mark.parametrize(
    ("variant", "charts"), [("licht", theme.CHART_LIGHT), ("donker", theme.CHART_DARK)]
)
def test_share_bar_stands_out_from_its_track(variant: str, charts: dict[str, str]) -> None:
    assert contrast(charts["accent"], charts["spoor"]) >= 3.0, variant


@pytest.mark.parametrize("variant", ["licht", "donker"])
def test_cell_text_colours_also_read_on_the_plain_window(variant: str) -> None:
    """A cell's text colour is also used without its background (e.g. a status text)."""
    table = LIGHT if variant == "licht" else DARK
    for state, p in table.items():
        for b in REFERENCE_BACKGROUNDS[variant]:
            assert contrast(p.fg, b) >= AA, (variant, state.name, p.fg, b)
