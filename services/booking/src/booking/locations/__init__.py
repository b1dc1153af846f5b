"""Locations (exit-entry halls, labour service windows): the services each offers, with slot
length, capacity and booking window, their weekly opening hours and their closed days."""
