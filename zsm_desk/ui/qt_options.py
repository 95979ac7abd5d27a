"""Qt's own command-line options (``-style fusion``, ``-platform xcb``, ...).

`zsm-desk` hands these to `QApplication` and the rest to argparse, which
would otherwise reject them (or read ``-style`` as ``-s -t -y ...``).
No Qt import here: the CLI uses this before deciding whether a window opens.
"""

from __future__ import annotations

from collections.abc import Sequence

# Options QGuiApplication/QApplication understand, with or without a value.
WITH_VALUE = frozenset(
    {
        "-style", "-stylesheet", "-platform", "-platformpluginpath", "-platformtheme",
        "-plugin", "-qmljsdebugger", "-session", "-display", "-geometry", "-font", "-fn",
        "-name", "-title", "-qwindowgeometry", "-qwindowicon", "-qwindowtitle", "-dialogs",
    }
)  # fmt: skip
WITHOUT_VALUE = frozenset({"-reverse", "-widgetcount", "-nograb", "-dograb", "-sync"})


def split_qt_options(argv: Sequence[str]) -> tuple[list[str], list[str]]:
    """``(ours, qt)``: `argv` without Qt's options, and those options in order.

    Accepts ``-style fusion``, ``-style=fusion`` and ``--style fusion``.
    Everything after ``--`` is ours."""
    ours: list[str] = []
    qt: list[str] = []
    i = 0
    args = list(argv)
    while i < len(args):
        a = args[i]
        if a == "--":
            ours += args[i:]
            break
        name, eq, _value = a.partition("=")
        key = name[1:] if name.startswith("--") else name
        if key in WITH_VALUE:
            if eq:
                qt.append(a)
            elif i + 1 < len(args):
                qt += [a, args[i + 1]]
                i += 1
            else:
                ours.append(a)  # let argparse report the missing value
        elif key in WITHOUT_VALUE and not eq:
            qt.append(a)
        else:
            ours.append(a)
        i += 1
    return ours, qt
