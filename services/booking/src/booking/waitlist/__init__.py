"""Waitlist: persons waiting for a full day; a released seat is offered to the first of them and
held for a while (the held seat counts as taken), then moves on to the next."""
