"""Django's PostgreSQL backend, with a back-off after a failed connection (see base.py)."""
