"""The interface in French and Spanish: complete catalogs, and no English left on the pages.

Issue 10: a test fails when an interface string lacks its French or Spanish translation or is
fuzzy, and every public page fetched in French and Spanish has no English interface text
(organizers' texts that fall back to English are marked lang="en" and are not interface text).
"""

import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import reverse, translate_url
from django.utils import translation

REPO = Path(__file__).resolve().parent.parent
LANGUAGES = ("fr", "es")
SOURCES = ["agenda", "documents", "idm_seminar", "outbox", "proceedings", "registration",
           "organizers", "speakers", "templates", "locale", "manage.py", "devtools"]  # fmt: skip

# Words that are English and neither French nor Spanish: a text of the page in French or Spanish
# that has two of them is English left untranslated (names and acronyms have none).
ENGLISH_WORDS = {"the", "and", "your", "with", "this", "is", "are", "of", "for", "to", "you"}


def read_catalog(path: Path) -> list[dict]:
    """The entries of a .po file (a small reader): msgid, msgctxt, msgid_plural, msgstr forms
    by index, flags. Entries are separated by empty lines; the header (empty msgid) is left out."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry: dict = {"flags": [], "msgstr": {}}
        target = None
        for line in block.splitlines():
            line = line.strip()
            if line.startswith("#,"):
                entry["flags"] += [flag.strip() for flag in line[2:].split(",")]
            elif line.startswith("#") or not line:
                continue
            elif line.startswith('"'):
                target[0][target[1]] += _unquote(line)
            else:
                keyword, _, rest = line.partition(" ")
                if match := re.fullmatch(r"msgstr\[(\d+)\]", keyword):
                    target = (entry["msgstr"], int(match.group(1)))
                elif keyword == "msgstr":
                    target = (entry["msgstr"], 0)
                else:
                    target = (entry, keyword)
                target[0][target[1]] = _unquote(rest)
        if entry.get("msgid"):
            entries.append(entry)
    return entries


def _unquote(text: str) -> str:
    return text.strip()[1:-1].encode("raw_unicode_escape").decode("unicode_escape")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The catalogs as makemessages leaves them after extracting today's strings from the
    sources (a copy of them: the project's own files are not touched)."""
    root = tmp_path_factory.mktemp("catalogs")
    for name in SOURCES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, root / name)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--no-obsolete", "--verbosity", "0",
         *[f"--locale={code}" for code in LANGUAGES],
         "--ignore=devtools/*", "--ignore=tests/*"],
        cwd=root, check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return {code: read_catalog(root / "locale" / code / "LC_MESSAGES" / "django.po") for code in
            LANGUAGES}  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_interface_string_is_translated(extracted, language):
    entries = extracted[language]
    missing = [e["msgid"] for e in entries if not all(e["msgstr"].values()) or not e["msgstr"]]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]

    assert len(entries) > 500
    assert missing == [], f"{len(missing)} strings without a {language} translation: {missing}"
    assert fuzzy == [], f"{len(fuzzy)} fuzzy {language} translations: {fuzzy}"


@pytest.mark.slow
def test_catalog_reader_sees_a_missing_translation(tmp_path):
    """The reader the test above relies on tells a missing and a fuzzy translation."""
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: fr\\n"\n\n'
        '#: a.py:1\nmsgid "Agenda"\nmsgstr "Programme"\n\n'
        '#: a.py:2\nmsgid "Speakers"\nmsgstr ""\n\n'
        '#: a.py:3\n#, fuzzy\nmsgid "Documents"\nmsgstr "Documents"\n\n'
        '#: a.py:4\nmsgid "%(count)s page"\nmsgid_plural "%(count)s pages"\n'
        'msgstr[0] "%(count)s page"\nmsgstr[1] ""\n',
        encoding="utf-8",
    )

    entries = {e["msgid"]: e for e in read_catalog(po)}

    assert entries["Agenda"]["msgstr"] == {0: "Programme"}
    assert entries["Speakers"]["msgstr"] == {0: ""}
    assert "fuzzy" in entries["Documents"]["flags"]
    assert entries["%(count)s page"]["msgstr"] == {0: "%(count)s page", 1: ""}


# --- Pages ---------------------------------------------------------------------------------------


class PageText(HTMLParser):
    """Texts of a page that are in the page's language: text nodes and the attributes people
    read (title, aria-label, alt, placeholder), outside elements that declare another language
    and outside scripts and styles."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
            "track", "wbr"}  # fmt: skip

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, str | None]] = []
        self.page_language: str | None = None
        self.texts: list[str] = []
        self.title_parts: list[str] = []

    def language(self) -> str | None:
        for _tag, lang in reversed(self.stack):
            if lang:
                return lang
        return None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.page_language = attrs.get("lang")
        lang = attrs.get("lang")
        own = (lang or self.language()) == self.page_language
        if own:
            for name in ("title", "aria-label", "alt", "placeholder"):
                if attrs.get(name):
                    self.texts.append(attrs[name])
        if tag not in self.VOID:
            self.stack.append((tag, lang))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if any(tag in ("script", "style") for tag, _lang in self.stack):
            return
        if not data.strip() or self.language() != self.page_language:
            return
        if self.stack and self.stack[-1][0] == "title":
            # No element can mark a fallback inside <title>: its interface parts are checked
            # one by one, and an organizer's text between them is not looked at.
            self.title_parts += [" ".join(part.split()) for part in data.split(" – ")]
        else:
            self.texts.append(" ".join(data.split()))


def english_interface(entries: list[dict]) -> set[str]:
    """English interface strings whose translation differs (so finding one is finding English):
    whole strings without placeholders or markup."""
    strings = set()
    for entry in entries:
        msgid = entry.get("msgid", "")
        translated = entry["msgstr"].get(0, "")
        if (
            translated
            and translated != msgid
            and "%" not in msgid
            and "<" not in msgid
            and len(msgid) > 3
        ):
            strings.add(" ".join(msgid.split()))
    return strings


def english_left(html: str, interface: set[str]) -> tuple[str | None, list[str]]:
    parser = PageText()
    parser.feed(html)
    found = []
    for text in parser.texts:
        words = re.findall(r"[a-z]+", text.lower())
        if text in interface or sum(word in ENGLISH_WORDS for word in words) >= 2:
            found.append(text)
    found += [part for part in parser.title_parts if part in interface]
    return parser.page_language, found


def public_pages(seed_event, open_event, client) -> dict[str, str]:
    slug = seed_event.slug
    pages = {
        "events": reverse("agenda:event-list"),
        "event": seed_event.get_absolute_url(),
        "agenda": reverse("agenda:agenda", args=[slug]),
        "people": reverse("agenda:person-list", args=[slug]),
        "documents": reverse("agenda:document-list", args=[slug]),
        "publication": reverse("proceedings:publication", args=[slug]),
        "registration-closed": reverse("registration:register", args=[slug]),
        "link-request": reverse("registration:request-link", args=[slug]),
        "privacy": reverse("registration:privacy", args=[slug]),
        "participants": reverse("registration:participant-list", args=[open_event.slug]),
        "registration-form": reverse("registration:register", args=[open_event.slug]),
    }
    for session in seed_event.sessions.all():
        pages[f"session {session.number}"] = reverse(
            "agenda:session-detail", args=[slug, session.slug]
        )
    for person in seed_event_people(seed_event)[:8]:
        pages[f"person {person.slug}"] = reverse("agenda:person-detail", args=[slug, person.slug])
    return pages


def seed_event_people(event):
    from agenda.models import Person

    return list(Person.objects.filter(presentations__item__event=event).distinct()[:8])


@pytest.fixture
def open_event(db):
    import datetime

    from django.utils import timezone

    from registration import services
    from tests.factories import EventFactory
    from tests.registration_factories import RegistrationFactory, RegistrationSettingsFactory

    event = EventFactory(slug="idm-2030", start_date=datetime.date(2030, 3, 30),
                         end_date=datetime.date(2030, 4, 2))  # fmt: skip
    RegistrationSettingsFactory(
        event=event,
        opens_at=timezone.now() - datetime.timedelta(days=1),
        closes_at=timezone.now() + datetime.timedelta(days=20),
        public_list_enabled=True,
    )
    participant = RegistrationFactory(event=event, consent_public_list=True)
    services.confirm_registration(participant)
    return event


@pytest.fixture(scope="module")
def catalogs():
    return {
        code: read_catalog(REPO / "locale" / code / "LC_MESSAGES" / "django.po")
        for code in LANGUAGES
    }


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_public_pages_have_no_english_interface_text(
    client, seed_event, open_event, catalogs, language
):
    interface = english_interface(catalogs[language])
    with translation.override("en"):  # English addresses, turned into the language's
        pages = public_pages(seed_event, open_event, client)
        addresses = {name: translate_url(path, language) for name, path in pages.items()}
    left, languages = {}, {}

    for name, address in addresses.items():
        assert address.startswith(f"/{language}/"), address
        response = client.get(address)
        assert response.status_code == 200, (name, response.status_code)
        page_language, english = english_left(response.content.decode(), interface)
        languages[name] = page_language
        if english:
            left[name] = english

    assert languages == dict.fromkeys(pages, language)
    assert left == {}, f"English interface text on {language} pages: {left}"


def test_page_text_reader_skips_texts_marked_in_another_language():
    interface = {"Download the programme"}
    html = (
        '<html lang="fr"><head><title>Agenda and more of the things – Download the programme'
        '</title></head><body><h1><span lang="en">Health workers and the world</span></h1>'
        '<p>Download the programme</p><a title="Open the list of the speakers">x</a>'
        "<script>var the = 'and the';</script></body></html>"
    )

    language, english = english_left(html, interface)

    assert language == "fr"
    assert english == [
        "Download the programme",
        "Open the list of the speakers",
        "Download the programme",
    ]
