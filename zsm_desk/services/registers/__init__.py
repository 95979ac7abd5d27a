"""Registers: veiligheidshuis register import, known-client matching, VH information."""
