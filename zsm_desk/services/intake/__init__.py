"""Intake: the verdachtenmonitor feed (HTTP and file) and the queue it fills."""
