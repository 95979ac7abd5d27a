"""Storage: ORM models, database opening and migrations glue, settings rows, the audit trail."""
