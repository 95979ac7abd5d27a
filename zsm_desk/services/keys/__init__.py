"""Keys: the secret store (OS keyring) and the location keys (audit HMAC, tombstones).

Below `storage` and `security`, importing neither, so the audit trail in
`storage` can use the location keys without a circle.
"""
