"""Write installers/pyinstaller/version-info.txt: the Windows version resource of the exes.

    python installers/windows/write_version_info.py 0.1.0

Explorer's Details tab and SCCM/Intune inventory read it; the spec uses it on Windows.
"""

from __future__ import annotations

import sys
from pathlib import Path

TEMPLATE = """VSVersionInfo(
  ffi=FixedFileInfo(filevers={t}, prodvers={t}, mask=0x3f, flags=0x0, OS=0x40004,
                    fileType=0x1, subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([StringTable('041304b0', [
      StringStruct('CompanyName', 'ZSM Desk'),
      StringStruct('FileDescription', 'ZSM Desk'),
      StringStruct('FileVersion', '{v}'),
      StringStruct('InternalName', 'zsm-desk'),
      StringStruct('LegalCopyright', 'Licensed under the EUPL-1.2'),
      StringStruct('OriginalFilename', 'zsm-desk.exe'),
      StringStruct('ProductName', 'ZSM Desk'),
      StringStruct('ProductVersion', '{v}')])]),
    VarFileInfo([VarStruct('Translation', [0x0413, 1200])])
  ]
)
"""


def main(argv: list[str]) -> int:
    version = argv[1]
    nums = [int("".join(c for c in p if c.isdigit()) or 0) for p in version.split(".")[:3]]
    nums += [0] * (4 - len(nums))
    out = Path(__file__).resolve().parents[1] / "pyinstaller" / "version-info.txt"
    out.write_text(TEMPLATE.format(t=tuple(nums), v=version), encoding="utf-8")
    print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
