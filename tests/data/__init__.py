"""Test data files written for this project (see README.md)."""

from pathlib import Path

DATA = Path(__file__).resolve().parent
