"""Appointments: booking, cancelling and rescheduling a seat, slips, officers' day lists."""
