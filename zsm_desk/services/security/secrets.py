"""Moved to `zsm_desk.services.keys.secrets`; this name stays the same module object."""

import sys

from zsm_desk.services.keys import secrets as _impl

sys.modules[__name__] = _impl
