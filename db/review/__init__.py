"""Reviewing two annotators' work: comparing it item by item, and adjudicating a gold version."""
