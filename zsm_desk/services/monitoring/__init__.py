"""Monitoring figures for a period."""
