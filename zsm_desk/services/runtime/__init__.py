"""Running as an installed program: system certificates, log file, crash capture,
machine-wide configuration."""
