"""Adviesvragen to a veiligheidshuis, screening and aanmelding."""
