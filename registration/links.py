"""Signed, expiring links that let a participant reach their own registration without an account.

The link carries the registration's access key signed with a timestamp (TimestampSigner). Erasing a
registration replaces its key, so every link sent before stops working.
"""

import datetime

from django.conf import settings
from django.core import signing

SALT = "registration.link"


class LinkExpired(Exception):
    """The link was genuine but is older than REGISTRATION_LINK_MAX_AGE_DAYS."""


class LinkInvalid(Exception):
    """The link was not made by this site (tampered, truncated, or for another key)."""


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SALT)


def make_token(registration) -> str:
    return _signer().sign(registration.access_key.hex)


def read_token(token: str, *, max_age: datetime.timedelta | None = None) -> str:
    """The access key (hex) signed into a token; raises LinkExpired or LinkInvalid."""
    if max_age is None:
        max_age = datetime.timedelta(days=settings.REGISTRATION_LINK_MAX_AGE_DAYS)
    try:
        return _signer().unsign(token, max_age=max_age)
    except signing.SignatureExpired as error:
        raise LinkExpired from error
    except signing.BadSignature as error:
        raise LinkInvalid from error
