"""The local mail folder: every message a file that a person can read and follow links from."""

import email.policy

from django.core.mail.backends import filebased

# RFC 5322's limit instead of the usual 78 characters: text with lines up to this long is written
# as it is (8bit), not quoted-printable, which would cut the long signed links with "=" breaks.
READABLE = email.policy.default.clone(max_line_length=998)


class ReadableFileBackend(filebased.EmailBackend):
    """Django's file backend (var/mail/ locally), writing the text of each message unencoded so
    that a newcomer can open the newest file and follow its link."""

    def write_message(self, message):
        self.stream.write(message.message(policy=READABLE).as_bytes() + b"\n")
        self.stream.write(b"-" * 79)
        self.stream.write(b"\n")
