"""Printing: the plan van aanpak and the day pack as PDF."""
