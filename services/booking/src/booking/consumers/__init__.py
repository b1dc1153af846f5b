"""Inbox handlers of booking.

None: locations and appointments are booking's own data, and the persons and passed applications
an appointment is for are asked of personnel over gRPC when booking (the user is waiting for that
answer), so booking keeps no projection of them.
"""
