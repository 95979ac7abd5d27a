"""The synthetic demo day (no real persons)."""
