"""What the browser journeys share besides fixtures: where Chromium is, where screenshots go,
how a person reads the site's e-mail in the mail folder (the `mail_folder` fixture)."""

import email
import email.policy
import re
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path("/tmp/shots")


class Mail:
    """A message as its file shows it: the subject line and the text around it."""

    def __init__(self, text: str):
        self.text = text
        headers = email.message_from_string(text, policy=email.policy.default)
        self.to, self.subject = headers["To"], headers["Subject"]

    def link_to(self, section: str) -> str:
        """The first link into the site's `section` (`registration`, `speaker`)."""
        # Searched in the file's text: a link cut by an encoding would not be found whole.
        return re.search(rf"https?://\S+/{section}/\S+/", self.text).group(0)


def inbox(folder: Path, address: str) -> list[Mail]:
    """The messages to `address` in the mail folder, oldest first."""
    messages = []
    for path in sorted(folder.iterdir(), key=lambda path: path.stat().st_mtime_ns):
        for text in path.read_text(encoding="utf-8").split("-" * 79 + "\n"):
            if text.strip():
                messages.append(Mail(text))
    return [message for message in messages if message.to == address]
