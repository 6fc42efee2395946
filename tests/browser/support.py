"""What the browser journeys share besides fixtures: where Chromium is, where screenshots go."""

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path("/tmp/shots")
