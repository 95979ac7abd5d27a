"""Decisions: recording the officer's decision and its consequences."""
