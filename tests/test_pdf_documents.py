import datetime
import io
import re
import socket
import urllib.request

import pytest
from pypdf import PdfReader

from agenda.models import (
    AgendaItemRole,
    BackgroundPaper,
    KeyQuestion,
    PracticalInformation,
    Session,
)
from documents import fetcher
from documents import services as document_services
from proceedings import services as proceedings_services
from proceedings.models import Acronym, Publication
from tests.factories import (
    AgendaItemFactory,
    EventFactory,
    PersonFactory,
    PresentationFactory,
    PresentationSpeakerFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db


def read_pdf(document) -> PdfReader:
    return PdfReader(io.BytesIO(bytes(document.content)))


def page_texts(reader: PdfReader) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def pdf_text(document) -> str:
    return " ".join(page_texts(read_pdf(document)))


def outline_entries(reader: PdfReader, outline=None, depth=0) -> list[tuple[int, str, int]]:
    """(depth, title, 1-based page) of every bookmark."""
    entries = []
    for entry in reader.outline if outline is None else outline:
        if isinstance(entry, list):
            entries += outline_entries(reader, entry, depth + 1)
        else:
            entries.append((depth, entry.title, reader.get_destination_page_number(entry) + 1))
    return entries


def speaker_of(session: Session):
    return session.items.first().presentations.first().speaker_links.first().person


def test_session_paper_has_trilingual_header_text_and_key_questions(seed_event):
    session = seed_event.sessions.get(number=1)

    text = pdf_text(document_services.render_session_paper(session))

    assert "IOM International Organization for Migration" in text
    assert "OIM Organisation Internationale pour les Migrations" in text
    assert "OIM Organización Internacional para las Migraciones" in text
    assert "INTERNATIONAL DIALOGUE ON MIGRATION" in text
    assert "Session I: Setting the scene: Mobility of health care workers" in text
    assert "What can be done to minimize the risk of migrant health worker exploitation?" in text


def test_session_paper_is_tagged_with_embedded_fonts_and_metadata(seed_event):
    reader = read_pdf(document_services.render_session_paper(seed_event.sessions.get(number=2)))

    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]) is True
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en"
    assert reader.metadata.title.startswith("Session II: ")
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = (
                font.get("/FontDescriptor")
                or (font["/DescendantFonts"][0].get_object()["/FontDescriptor"])
            )
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.get_object())


def test_programme_lists_both_days_people_and_fits_two_pages(seed_event):
    document = document_services.render_programme(seed_event)
    text = pdf_text(document)

    assert document.pages <= 2
    assert "Thursday, 23 March 2006" in text
    assert "Friday, 24 March 2006" in text
    assert "Dr. Manuel Dayrit, Director, Department of Human Resources for Health" in text
    assert "Discussant: Ms. Michele Klein-Solomon (JD)" in text
    assert "10:30–11:15" in text
    assert "SESSION IV: Innovative Solutions for Managing the Mobility" in text


def test_programme_prints_an_item_title_its_only_presentation_repeats_once(seed_event):
    text = pdf_text(document_services.render_programme(seed_event))

    assert text.count("Welcoming remarks") == 1
    assert "Welcoming remarks Mrs. Ndioro Ndiaye" in text


def test_programme_prints_each_time_once_on_the_page_where_its_item_starts():
    event = EventFactory(start_date=datetime.date(2031, 3, 20), end_date=datetime.date(2031, 3, 20))
    start = datetime.datetime(2031, 3, 20, 7, 0)
    times = {}
    for number in range(36):
        begins = start + datetime.timedelta(minutes=15 * number)
        ends = begins + datetime.timedelta(minutes=15)
        item = AgendaItemFactory(
            event=event,
            title=f"Item {number:02d} begins with a title so long that the programme prints it "
            "on two lines or more, which must stay with the time",
            start_time=begins.time(),
            end_time=ends.time(),
        )
        # Items of 1 to 9 presentations start at every height of a page, and some break; a
        # two-line title cannot start on a page's last line.
        for talk in range(number % 9 + 1):
            PresentationFactory(item=item, title=f"Talk {talk} of item {number}")
        times[item.title] = f"{begins:%H:%M}–{ends:%H:%M}"

    pages = page_texts(read_pdf(document_services.render_programme(event)))

    for title, time in times.items():
        assert sum(page.count(time) for page in pages) == 1, time
        time_page = next(number for number, page in enumerate(pages) if time in page)
        title_page = next(number for number, page in enumerate(pages) if title[:8] in page)
        assert time_page == title_page, f"{time} on page {time_page + 1}, its title after it"


def test_speaker_brief_has_slot_session_people_paper_and_practical_information(seed_event):
    PracticalInformation.objects.create(
        event=seed_event,
        venue_details="Rue de Varembé 17, entrance B",
        arrival_minutes=45,
        speaking_minutes=12,
    )
    session = seed_event.sessions.get(number=1)
    speaker = speaker_of(session)

    text = pdf_text(document_services.render_speaker_brief(speaker, event=seed_event))

    assert speaker.full_name in text
    assert "Speaker: " + session.items.first().presentations.first().title in text
    assert "Thursday, 23 March 2006, 10:30–11:15" in text
    assert "Discussant: Ms. Michele Klein-Solomon (JD)" in text
    assert "Dr. Manuel Dayrit" in text  # a co-panellist
    assert "What can be done to minimize the risk of migrant health worker exploitation?" in text
    assert "Rue de Varembé 17, entrance B" in text
    assert "Please be in the room 45 minutes before your session starts" in text
    assert "09:45" in text
    assert "12 minutes per presentation" in text


def _start_pages(texts: list[str], title: str, after: int) -> int:
    return next(n for n, text in enumerate(texts, start=1) if n > after and title in text)


def test_proceedings_contents_point_to_the_pages_where_parts_start(seed_event):
    publication = seed_event.publication
    publication.foreword = "<p>This volume gathers the seminar.</p>"
    publication.report = "<h2>Opening</h2><p>The seminar opened.</p>" + "<p>Text.</p>" * 40
    publication.year = 2006
    publication.save()
    Acronym.objects.create(publication=publication, acronym="WHO", meaning="World Health Org.")
    Acronym.objects.create(publication=publication, acronym="ILO", meaning="Intl Labour Org.")
    Acronym.objects.create(publication=publication, acronym="icn", meaning="Nurses' council")
    presentation = seed_event.sessions.get(number=1).items.first().presentations.first()
    presentation.abstract = "Health workers move for many reasons."
    presentation.save()

    reader = read_pdf(proceedings_services.render_proceedings(seed_event))
    texts = page_texts(reader)

    contents_page = next(n for n, text in enumerate(texts, start=1) if "Table of contents" in text)
    contents = texts[contents_page - 1].split("Table of contents", 1)[1]
    toc = dict(re.findall(r"([A-Z][^.]+?) (?:\. )+\.? ?(\d+)", contents))
    expected = [
        "Foreword",
        "Acronyms and Abbreviations",
        "Part I: Report of the Seminar",
        "Part II: Seminar Agenda",
        "Part III: Abstracts of the Speakers’ Presentations",
        "Annexes",
        "Annex I: Background Papers of the Sessions",
    ]
    assert [title.strip() for title in toc] == expected
    for title, page in toc.items():
        assert int(page) == _start_pages(texts, title.strip(), after=contents_page), title
    outline = outline_entries(reader)
    parts = [(title, page) for depth, title, page in outline if depth == 0]
    assert [title for title, _page in parts] == ["Table of contents", *expected[:6]]
    assert all(int(toc[title]) == page for title, page in parts if title in toc)
    assert ("Opening" in [title for depth, title, _page in outline if depth == 1]) is True
    assert "ISSN 1726-2224" in texts[1]
    assert "© 2006" in texts[1]
    assert reader.metadata.title == (
        "International Dialogue on Migration No. 9 – "
        "Migration and Human Resources for Health: From Awareness to Action"
    )
    assert reader.trailer["/Root"]["/Lang"] == "en"
    acronyms_page = texts[int(toc["Acronyms and Abbreviations"]) - 1]
    assert acronyms_page.index("icn") < acronyms_page.index("ILO") < acronyms_page.index("WHO")
    abstracts_page = texts[int(toc["Part III: Abstracts of the Speakers’ Presentations"]) - 1]
    assert presentation.title in abstracts_page
    assert "Health workers move for many reasons." in abstracts_page


def test_proceedings_leave_out_empty_parts_and_number_the_rest(seed_event):
    reader = read_pdf(proceedings_services.render_proceedings(seed_event))
    texts = page_texts(reader)

    text = " ".join(texts)
    assert "Foreword" not in text
    assert "Acronyms and Abbreviations" not in text
    assert "Abstracts of the Speakers" not in text
    assert "Part I: Seminar Agenda" in texts[2]
    assert [title for depth, title, _page in outline_entries(reader) if depth == 0] == [
        "Table of contents",
        "Part I: Seminar Agenda",
        "Annexes",
    ]


def test_proceedings_list_only_participants_the_provider_returns(seed_event, participants):
    participants(two_participants)

    text = pdf_text(proceedings_services.render_proceedings(seed_event))

    assert "Annex II: List of Participants" in text
    assert "Ms. Consenting Participant Ministry of Health Kenya" in text


def two_participants(event):
    return [
        {"name": "Ms. Consenting Participant", "organization": "Ministry of Health",
         "country": "Kenya"},
    ]  # fmt: skip


# --- The fetcher ---------------------------------------------------------------------------------


def test_fetcher_reads_the_sites_own_static_files():
    content_type, content = fetcher.resolve_url(fetcher.base_url() + "static/css/pdf.css")

    assert content_type == "text/css"
    assert b"@page" in content


def test_fetcher_reads_media_images(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "people").mkdir()
    (tmp_path / "people" / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")

    content_type, content = fetcher.resolve_url(fetcher.base_url() + "media/people/photo.png")

    assert (content_type, content) == ("image/png", b"\x89PNG\r\n\x1a\n")


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.com/style.css",
        "https://example.com/image.png",
        "ftp://example.com/image.png",
        "http://169.254.169.254/latest/meta-data/",
        "data:text/css,body{background:url(http://example.com/x)}",
        "data:image/svg+xml,<svg/>",
        "{site}/static/../../idm_seminar/settings.py",
        "{site}/static/%2e%2e/%2e%2e/etc/passwd",
        "{site}/media/../idm_seminar/settings.py",
        "{site}/static/css/missing.css",
        "{site}/manage.py",
        "{site}/admin/",
        "//example.com/x.png",
        "javascript:alert(1)",
    ],
)
def test_fetcher_refuses_everything_else(url):
    with pytest.raises(fetcher.RefusedURL):
        fetcher.resolve_url(url.replace("{site}", fetcher.base_url().rstrip("/")))


INJECTION = (
    '<img src="file:///etc/passwd"><link rel=stylesheet href="http://attacker.test/x.css">'
    '<style>@import url("http://attacker.test/i.css");p{background:url(http://attacker.test/b)}'
    "</style>"
)
SHORT_INJECTION = '<img src="file:///etc/passwd">'

RICH_INJECTION = (
    '<p>Report <img src="http://attacker.test/pixel.png"> <img src="file:///etc/passwd">'
    '<link rel="stylesheet" href="http://attacker.test/x.css">'
    '<style>@import "http://attacker.test/i.css";</style>'
    '<span style="background:url(http://attacker.test/bg.png)">styled</span></p>'
)


@pytest.fixture
def no_network(monkeypatch):
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network access in a PDF test")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    return attempts


def injected_participants(event):
    return [{"name": INJECTION, "organization": INJECTION, "country": INJECTION}]


def test_user_content_with_markup_renders_escaped_and_fetches_nothing(no_network, participants):
    participants(injected_participants)
    event = EventFactory(title=INJECTION, venue=INJECTION, city=SHORT_INJECTION,
                         agenda_introduction=INJECTION)  # fmt: skip
    event.organizer.name = "IOM " + INJECTION
    event.organizer.save()
    session = SessionFactory(event=event, title=INJECTION, theme=INJECTION)
    paper = BackgroundPaper.objects.create(
        session=session, title=INJECTION, body=INJECTION, questions_introduction=INJECTION
    )
    KeyQuestion.objects.create(paper=paper, text=INJECTION)
    item = AgendaItemFactory(event=event, session=session, title=INJECTION, description=INJECTION)
    person = PersonFactory(first_name=SHORT_INJECTION, last_name="Speaker", position=INJECTION,
                           affiliation_note=INJECTION, honorific="Dr.")  # fmt: skip
    presentation = PresentationFactory(item=item, title=INJECTION, abstract=INJECTION)
    PresentationSpeakerFactory(presentation=presentation, person=person, label=SHORT_INJECTION)
    AgendaItemRole.objects.create(item=item, person=PersonFactory(last_name=SHORT_INJECTION))
    PracticalInformation.objects.create(event=event, venue_details=INJECTION, notes=INJECTION)
    publication = Publication.objects.create(
        event=event, series_number=99, title=INJECTION, issn="1726-2224", series=INJECTION,
        foreword=RICH_INJECTION, report=RICH_INJECTION, is_published=True,
    )  # fmt: skip
    Acronym.objects.create(publication=publication, acronym="X", meaning=INJECTION)

    documents = [
        document_services.render_session_paper(session),
        document_services.render_programme(event),
        document_services.render_speaker_brief(person, event=event),
        proceedings_services.render_proceedings(event),
    ]

    assert no_network == []
    refused = [url for document in documents for url in document.refused_urls]
    assert set(refused) == {"http://attacker.test/pixel.png"}  # from the foreword and report
    fetched = {url for document in documents for url in document.fetched_urls}
    assert fetched == {
        fetcher.base_url() + "static/css/pdf.css",
        fetcher.base_url() + "static/css/pdf-book.css",
    }
    for document in documents:
        text = pdf_text(document)
        assert '<img src="file:///etc/passwd">' in text
        assert "@import url(" in text
    proceedings = pdf_text(documents[3])
    assert "Report" in proceedings
    assert "styled" in proceedings
