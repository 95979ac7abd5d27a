"""Security: secrets in the OS keyring, accounts and roles, retention, the log filter."""
