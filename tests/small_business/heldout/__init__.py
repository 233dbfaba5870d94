"""Held-out small-business tests, written apart from the tools they check."""
