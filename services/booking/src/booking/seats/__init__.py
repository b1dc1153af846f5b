"""Seats: how many of a slot's places are taken, enforced by the database (never exceeded)."""
