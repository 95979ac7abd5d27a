"""The beheerder's code list of decisions (Setting ``beslissingen`` and ``sepotcodes``).

Kept to the shape `decisions_service.load_codelist` reads:

* ``beslissingen``: a list of code dicts (`CodeList.from_dicts`, the shape of
  `DEFAULT_BESLISSINGEN`); absent means the built-in list;
* ``sepotcodes``: a dict ``{"NN": omschrijving}``; absent means
  `DEFAULT_SEPOTCODES`.

A list equal to the built-in one is stored as "absent", so a later version's
defaults apply to a location that never changed them. Saving validates the
whole list first (every problem in Dutch, nothing stored on an error), is for
the beheerder only and is audited (codes only; there is no personal data here).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from zsm_desk.domain.access import Action
from zsm_desk.domain.decisions import (
    DEFAULT_BESLISSINGEN,
    DEFAULT_SEPOTCODES,
    CodeList,
    CodeListError,
)
from zsm_desk.services.security import users
from zsm_desk.services.storage import audit
from zsm_desk.services.storage.config import get_setting, put_setting

BESLISSINGEN = "beslissingen"
SEPOTCODES = "sepotcodes"


@dataclass(frozen=True)
class StoredCodeList:
    """What is stored, for the editor (plain values; also when it no longer validates)."""

    rows: list[dict[str, Any]]
    sepotcodes: dict[str, str]
    #: Nothing stored: the built-in list applies.
    standaard: bool = True
    #: The stored list is invalid (Dutch problems); the editor shows it to fix.
    fouten: list[str] = field(default_factory=list)


def default_rows() -> list[dict[str, Any]]:
    return [dict(d) for d in DEFAULT_BESLISSINGEN]


def load_codelist_rows(session: Session) -> StoredCodeList:
    """The stored code list as rows and sepotcodes (the defaults when nothing is stored)."""
    fouten: list[str] = []
    stored_rows = get_setting(session, BESLISSINGEN)
    stored_sep = get_setting(session, SEPOTCODES)
    rows: list[dict[str, Any]]
    if stored_rows is None:
        rows = default_rows()
    elif isinstance(stored_rows, list):
        rows = [dict(r) for r in stored_rows if isinstance(r, Mapping)]
        if len(rows) != len(stored_rows):
            fouten.append("De opgeslagen codelijst bevat regels die geen tabel zijn.")
    else:
        rows = []
        fouten.append("De opgeslagen codelijst is geen lijst van beslissingen.")
    sepotcodes: dict[str, str]
    if isinstance(stored_sep, Mapping) and stored_sep:
        sepotcodes = {str(k): str(v) for k, v in stored_sep.items()}
    else:
        sepotcodes = dict(DEFAULT_SEPOTCODES)
    if not fouten:
        try:
            CodeList.from_dicts(rows, sepotcodes)
        except CodeListError as e:
            fouten += e.errors
    return StoredCodeList(
        rows=rows,
        sepotcodes=sepotcodes,
        standaard=stored_rows is None and not stored_sep,
        fouten=fouten,
    )


def validate_codelist(rows: Sequence[Mapping[str, Any]], sepotcodes: Mapping[str, str]) -> CodeList:
    """The whole list checked at once; `CodeListError` with every problem in Dutch."""
    errors: list[str] = []
    try:
        codelist = CodeList.from_dicts(rows, sepotcodes)
    except CodeListError as e:
        errors += e.errors
        codelist = None
    if not sepotcodes:
        errors.append("De lijst met sepotcodes is leeg: neem ten minste sepotcode 01 op.")
    if errors or codelist is None:
        raise CodeListError(errors)
    return codelist


def save_codelist(
    session: Session,
    rows: Sequence[Mapping[str, Any]],
    sepotcodes: Mapping[str, str],
    account: str,
) -> CodeList:
    """Store the code list (beheerder only, audited); CodeListError and nothing stored on errors."""
    users.require(users.roles_of(session, account), Action.SETTINGS)
    codelist = validate_codelist(rows, sepotcodes)
    data = codelist.to_dicts()
    sep = {k: str(v).strip() for k, v in sorted(codelist.sepotcodes.items())}
    same_rows = data == default_rows()
    same_sep = sep == dict(sorted(DEFAULT_SEPOTCODES.items()))
    put_setting(session, BESLISSINGEN, None if same_rows else data)
    put_setting(session, SEPOTCODES, None if same_sep else sep)
    session.flush()
    audit.append(
        session,
        account,
        audit.SETTINGS,
        purpose=(
            "codelijst beslissingen terug naar standaard"
            if same_rows and same_sep
            else "codelijst beslissingen gewijzigd"
        ),
        detail={
            "beslissingen": "standaard" if same_rows else [d["code"] for d in data],
            "sepotcodes": "standaard" if same_sep else sorted(sep),
        },
    )
    return codelist


__all__ = [
    "BESLISSINGEN",
    "SEPOTCODES",
    "StoredCodeList",
    "default_rows",
    "load_codelist_rows",
    "save_codelist",
    "validate_codelist",
]
