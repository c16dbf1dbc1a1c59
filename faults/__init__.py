"""Fault injection under traffic (issue 14 item 4): see README.md; `make faults` runs it."""
