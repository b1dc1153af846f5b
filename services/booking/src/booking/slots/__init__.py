"""Bookable time slots, computed from opening hours, closed days and the working-day calendar."""
