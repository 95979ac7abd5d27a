"""ZSM Desk: the desktop client for the ZSM afstemmingsoverleg."""

__version__ = "0.1.0"
