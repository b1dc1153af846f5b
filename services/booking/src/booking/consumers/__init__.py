"""Inbox handlers of booking.

None yet: locations and opening hours are booking's own data. Appointment booking (a later issue)
adds handlers here, e.g. projections of the foreign persons and passed employment applications a
user may book for, fed by `personnel.*` events.
"""
