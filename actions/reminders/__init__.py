"""Reminders and notices by e-mail (`manage.py send_reminders`).

Each event (an action due in 7 days or 1 day or just overdue, the DHSC letter's deadline 14 or
3 days away, a business continuity plan's review due) is recorded once per recipient as a
`Reminder` before anything is sent; sending marks it sent or failed, and a failed or unsent
one is tried again on the next run. A day the command did not run is caught up on the next.
"""
