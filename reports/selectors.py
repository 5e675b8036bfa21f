"""Reads for documents. `letter_state` is completed by the documents work (issue 4)."""


def letter_state(plan):
    """The plan's DHSC confirmation letter, or None before one is drafted."""
    return None
