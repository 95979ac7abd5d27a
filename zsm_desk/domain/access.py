"""Who may do what (background-zvh-2020 §2, background-pilots-2014 §4).

The VH flag (known / possibly known) is visible to every desk role. VH content
(slagzin, advice, plan van aanpak) only to KPC'er, parketsecretaris and
officier, only for a suspect still in the queue, and every opening is audited
with its purpose. An account without roles sees no VH information at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class Role(StrEnum):
    KPC = "kpc"
    PARKETSECRETARIS = "parketsecretaris"
    OFFICIER = "officier"
    BEHEERDER = "beheerder"


ROLE_LABELS = {
    Role.KPC: "KPC'er",
    Role.PARKETSECRETARIS: "Parketsecretaris",
    Role.OFFICIER: "Officier van justitie",
    Role.BEHEERDER: "Beheerder",
}

DESK_ROLES = frozenset({Role.KPC, Role.PARKETSECRETARIS, Role.OFFICIER})
ALL_ROLES = frozenset(Role)


class Action(StrEnum):
    SEE_FLAG = "vlag zien"
    SEE_CONTENT = "VH-inhoud inzien"
    REVIEW_HIT = "hit beoordelen"
    PRINT = "afdrukken"
    DECIDE = "beslissing vastleggen"
    SEND_TERUGKOPPELING = "terugkoppeling verzenden"
    ADVIESVRAAG = "adviesvraag stellen"
    MONITOR = "monitor inzien"
    SETTINGS = "instellingen beheren"
    AUDIT = "audit inzien"


_RULES: dict[Action, frozenset[Role]] = {
    Action.SEE_FLAG: DESK_ROLES,
    Action.SEE_CONTENT: DESK_ROLES,
    Action.REVIEW_HIT: DESK_ROLES,
    Action.PRINT: DESK_ROLES,
    # officier, or the KPC'er recording on the officer's behalf (recorded as such)
    Action.DECIDE: frozenset({Role.OFFICIER, Role.KPC}),
    Action.SEND_TERUGKOPPELING: frozenset({Role.KPC}),
    Action.ADVIESVRAAG: frozenset({Role.PARKETSECRETARIS, Role.KPC, Role.OFFICIER}),
    Action.MONITOR: frozenset({Role.KPC, Role.BEHEERDER, Role.OFFICIER}),
    Action.SETTINGS: frozenset({Role.BEHEERDER}),
    Action.AUDIT: frozenset({Role.BEHEERDER}),
}


def parse_roles(text: str | Iterable[str]) -> frozenset[Role]:
    """`kpc,officier` → roles; accepts a few spellings users type; ValueError otherwise."""
    items = text.split(",") if isinstance(text, str) else list(text)
    aliases = {
        "kpc'er": Role.KPC,
        "kpcer": Role.KPC,
        "ovj": Role.OFFICIER,
        "ps": Role.PARKETSECRETARIS,
    }
    roles: set[Role] = set()
    for raw in items:
        name = raw.strip().lower()
        if not name:
            continue
        if name in aliases:
            roles.add(aliases[name])
            continue
        try:
            roles.add(Role(name))
        except ValueError:
            allowed = ", ".join(r.value for r in Role)
            raise ValueError(f"onbekende rol {raw.strip()!r} (toegestaan: {allowed})") from None
    return frozenset(roles)


def allowed(roles: Iterable[Role], action: Action) -> bool:
    return bool(set(roles) & _RULES[action])


def on_behalf_of_officer(roles: Iterable[Role]) -> bool:
    """A KPC'er without the officier role records a decision on the officer's behalf."""
    r = set(roles)
    return Role.KPC in r and Role.OFFICIER not in r


# "geen recht om … " needs the infinitive with "te" in the right place
# ("af te drukken", not "te afdrukken").
_TE_INFINITIVE: dict[Action, str] = {
    Action.SEE_FLAG: "de VH-vlag te zien",
    Action.SEE_CONTENT: "VH-inhoud in te zien",
    Action.REVIEW_HIT: "een hit te beoordelen",
    Action.PRINT: "af te drukken",
    Action.DECIDE: "een beslissing vast te leggen",
    Action.SEND_TERUGKOPPELING: "een terugkoppeling te verzenden",
    Action.ADVIESVRAAG: "een adviesvraag te stellen",
    Action.MONITOR: "de monitor in te zien",
    Action.SETTINGS: "instellingen te beheren",
    Action.AUDIT: "de audit in te zien",
}


def refusal(action: Action) -> str:
    """The one-line Dutch refusal for an action the user's roles do not allow."""
    return f"geen recht om {_TE_INFINITIVE[action]} met uw rol(len)"
