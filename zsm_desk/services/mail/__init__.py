"""Mail: terugkoppeling composition, the persistent outbox and SMTP sending."""
