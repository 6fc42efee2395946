"""Signed, expiring links that let a participant reach their own registration without an account.

The link carries the registration's access key signed with a timestamp (TimestampSigner). Erasing a
registration replaces its key, so every link sent before stops working.
"""

import datetime

from django.conf import settings
from django.core import signing

SALT = "registration.link"
# A focal point's link to a delegation is signed apart: it never opens a registration's pages.
DELEGATION_SALT = "registration.delegation-link"


class LinkExpired(Exception):
    """The link was genuine but is older than REGISTRATION_LINK_MAX_AGE_DAYS."""


class LinkInvalid(Exception):
    """The link was not made by this site (tampered, truncated, or for another key)."""


def _signer(salt: str = SALT) -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=salt)


def make_token(registration) -> str:
    return _signer().sign(registration.access_key.hex)


def make_delegation_token(delegation) -> str:
    return _signer(DELEGATION_SALT).sign(delegation.access_key.hex)


def read_token(token: str, *, max_age: datetime.timedelta | None = None, salt: str = SALT) -> str:
    """The access key (hex) signed into a token; raises LinkExpired or LinkInvalid.

    `salt` is DELEGATION_SALT for a focal point's link."""
    if max_age is None:
        max_age = datetime.timedelta(days=settings.REGISTRATION_LINK_MAX_AGE_DAYS)
    try:
        return _signer(salt).unsign(token, max_age=max_age)
    except signing.SignatureExpired as error:
        raise LinkExpired from error
    except signing.BadSignature as error:
        raise LinkInvalid from error
