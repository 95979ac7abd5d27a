"""Moved to `zsm_desk.services.keys.location_keys`; this name stays the same module object."""

import sys

from zsm_desk.services.keys import location_keys as _impl

sys.modules[__name__] = _impl
