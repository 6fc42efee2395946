"""Told after each delivery attempt, so that apps can record outcomes on their own rows.

`delivery_attempted` is sent (sender=Message) once per batch, inside the transaction that records
the outcomes, with `messages`: the Message instances tried, their state, sent_at and last_error
as recorded.
"""

from django.dispatch import Signal

delivery_attempted = Signal()
