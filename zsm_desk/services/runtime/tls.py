"""TLS that trusts the operating system's certificate store.

Python and requests trust their own CA list (OpenSSL's files, certifi); an
organisation's own CA, rolled out to the Windows or macOS certificate store by
IT, is then rejected. `truststore` verifies through the system itself
(CryptoAPI on Windows, Security framework on macOS, the system CA files on
Linux). A configured ``ca_bundle`` stays an explicit override: then only that
file is trusted, as before.
"""

from __future__ import annotations

import os
import ssl
from typing import Any

import requests
import truststore
from requests.adapters import HTTPAdapter

__all__ = ["SystemTrustAdapter", "client_context", "system_trust_session"]


def client_context(ca_bundle: str | os.PathLike[str] | None = None) -> ssl.SSLContext:
    """A verifying client context: the system store, or only ``ca_bundle`` when given.

    TLS 1.2 or newer, host name checked. Raises OSError/ssl.SSLError when the
    bundle cannot be read.
    """
    ctx: ssl.SSLContext
    if ca_bundle:
        ctx = ssl.create_default_context(cafile=os.fspath(ca_bundle))
    else:
        ctx = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.check_hostname = True
    ctx.verify_mode = ssl.CERT_REQUIRED
    return ctx


class SystemTrustAdapter(HTTPAdapter):
    """A requests adapter that verifies with the system store (``verify=True``).

    ``verify=<path>`` still means "only this CA file" (requests' own handling).
    """

    def __init__(self, **kwargs: Any) -> None:
        self._ctx = client_context()
        super().__init__(**kwargs)

    def build_connection_pool_key_attributes(
        self, request: Any, verify: Any, cert: Any = None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        host_params, pool_kwargs = super().build_connection_pool_key_attributes(
            request, verify, cert
        )
        if verify is True:
            pool_kwargs["ssl_context"] = self._ctx
        return host_params, pool_kwargs

    def cert_verify(self, conn: Any, url: str, verify: Any, cert: Any) -> None:
        super().cert_verify(conn, url, verify, cert)
        if verify is True:  # not certifi's list: the context holds the system store
            conn.ca_certs = None
            conn.ca_cert_dir = None


def system_trust_session() -> requests.Session:
    """A requests session whose HTTPS verification uses the system store."""
    s = requests.Session()
    s.mount("https://", SystemTrustAdapter())
    return s
