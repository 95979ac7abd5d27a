"""argparse in Dutch: "gebruik:", "opties:", "toon deze hulp en stop", the error texts.

argparse looks its own strings up through ``gettext`` at the moment it uses
them (`argparse._` and `argparse.ngettext`). `install()` points both at the
table below; anything not in it passes through unchanged. Python type names
in "invalid int value" become Dutch words as well.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

NL: dict[str, str] = {
    "usage: ": "gebruik: ",
    "positional arguments": "positionele argumenten",
    "options": "opties",
    "optional arguments": "opties",
    "subcommands": "opdrachten",
    "show this help message and exit": "toon deze hulp en stop",
    "show program's version number and exit": "toon het versienummer en stop",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fout: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s: %(message)s",
    "unrecognized arguments: %s": "onbekende argumenten: %s",
    "the following arguments are required: %s": "deze argumenten zijn verplicht: %s",
    "one of the arguments %s is required": "een van de argumenten %s is verplicht",
    "not allowed with argument %s": "niet toegestaan samen met argument %s",
    "ignored explicit argument %r": "genegeerd expliciet argument %r",
    "expected one argument": "verwacht één waarde",
    "expected at most one argument": "verwacht hoogstens één waarde",
    "expected at least one argument": "verwacht minstens één waarde",
    "ambiguous option: %(option)s could match %(matches)s": (
        "dubbelzinnige optie: %(option)s kan %(matches)s zijn"
    ),
    "unexpected option string: %s": "onverwachte optie: %s",
    "invalid %(type)s value: %(value)r": "ongeldige waarde %(value)r (verwacht: %(type)s)",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "ongeldige keuze: %(value)r (kies uit %(choices)s)"
    ),
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "onbekende opdracht %(parser_name)r (keuze uit: %(choices)s)"
    ),
    "can't open '%(filename)s': %(error)s": "kan '%(filename)s' niet openen: %(error)s",
    'argument "-" with mode %r': 'argument "-" met modus %r',
    "%r is not callable": "%r is niet aanroepbaar",
    "cannot have multiple subparser arguments": "slechts één reeks opdrachten mogelijk",
    "conflicting subparser: %s": "dubbele opdracht: %s",
    "conflicting subparser alias: %s": "dubbele opdrachtalias: %s",
    "mutually exclusive arguments must be optional": (
        "elkaar uitsluitende argumenten moeten optioneel zijn"
    ),
}

NL_PLURAL: dict[tuple[str, str], tuple[str, str]] = {
    ("expected %s argument", "expected %s arguments"): (
        "verwacht %s waarde",
        "verwacht %s waarden",
    ),
    ("conflicting option string: %s", "conflicting option strings: %s"): (
        "dubbele optie: %s",
        "dubbele opties: %s",
    ),
}

TYPE_NAMES = {"int": "een geheel getal", "float": "een getal", "str": "tekst"}


class _Template(str):
    """A translated template that also puts Python type names into Dutch."""

    __slots__ = ()

    def __mod__(self, args: Any) -> str:
        if isinstance(args, dict) and isinstance(args.get("type"), str):
            args = {**args, "type": TYPE_NAMES.get(args["type"], args["type"])}
        return str.__mod__(self, args)


def gettext(message: str) -> str:
    return _Template(NL.get(message, message))


def ngettext(singular: str, plural: str, n: int) -> str:
    one, many = NL_PLURAL.get((singular, plural), (singular, plural))
    return one if n == 1 else many


_installed: tuple[Callable[[str], str], Callable[[str, str, int], str]] | None = None


def install() -> None:
    """Make argparse speak Dutch (idempotent)."""
    global _installed
    if _installed is None:
        _installed = (argparse._, argparse.ngettext)  # type: ignore[attr-defined]
    argparse._ = gettext  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]
