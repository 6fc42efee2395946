"""Every PDF in English, French and Spanish (issue 10): the organizers' texts of the document's
language where they wrote them, the original's marked with its language where they did not, the
interface's words, dates and names in the document's language, each language stored apart.

Interface strings are compared with what the catalogs say under translation.override: with
compiled catalogs (CI compiles them) a string left out of the catalogs or printed untranslated
fails these tests.
"""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from documents import pdf
from documents import services as document_services
from documents.models import RenderedDocument
from tests.test_pdf_documents import pdf_text, read_pdf, speaker_of
from tests.test_pdf_storage import renders  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

FRENCH_TITLE = "Planter le décor : la mobilité des personnels de santé"
ENGLISH_TITLE = "Setting the Scene: Mobility of Health Care Workers"
DEFAULT_INTRODUCTION = "Key questions to be examined during this session include:"


def address(name: str, language: str, **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def paper_address(session, language: str) -> str:
    return address(
        "documents:session-paper-pdf",
        language,
        event=session.event.slug,
        session=session.slug,
    )


def download_text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return " ".join(
        " ".join(page.extract_text().split()) for page in read_pdf(response).pages
    ).casefold()


def in_language(language: str, message: str) -> str:
    with translation.override(language):
        return gettext(message)


def structure_languages(reader, element=None) -> list[tuple[str, str]]:
    """(structure type, /Lang) of every element of the PDF's structure tree that has a /Lang."""
    element = (element or reader.trailer["/Root"]["/StructTreeRoot"]).get_object()
    found = []
    if "/Lang" in element:
        found.append((str(element["/S"]), str(element["/Lang"])))
    kids = element.get("/K")
    kids = kids.get_object() if kids is not None else []
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object()
        if hasattr(kid, "get") and kid.get("/Type") != "/OBJR" and "/S" in kid:
            found += structure_languages(reader, kid)
    return found


@pytest.fixture
def session_one(seed_event):
    session = seed_event.sessions.get(number=1)
    session.title_fr = FRENCH_TITLE
    session.save()
    return session


def test_french_paper_prints_the_french_session_title_and_spanish_the_english(client, session_one):
    french = download_text(client, paper_address(session_one, "fr"))
    spanish = download_text(client, paper_address(session_one, "es"))

    assert FRENCH_TITLE.casefold() in french
    assert ENGLISH_TITLE.casefold() in spanish
    assert FRENCH_TITLE.casefold() not in spanish


def test_pdf_language_is_the_addresss(client, session_one):
    languages = {}
    for language in ("en", "fr", "es"):
        response = client.get(paper_address(session_one, language))
        languages[language] = read_pdf(response).trailer["/Root"]["/Lang"]
        programme = client.get(
            address("documents:programme-pdf", language, event=session_one.event.slug)
        )
        assert read_pdf(programme).trailer["/Root"]["/Lang"] == language

    assert languages == {"en": "en", "fr": "fr", "es": "es"}


def test_interface_words_are_the_documents_language(client, session_one):
    slug = session_one.event.slug
    for language in ("fr", "es"):
        paper = download_text(client, paper_address(session_one, language))
        programme = download_text(client, address("documents:programme-pdf", language, event=slug))

        assert in_language(language, "Background paper").casefold() in paper
        assert in_language(language, "Programme").casefold() in programme
        session_two = in_language(language, "Session %(number)s") % {"number": "II"}
        assert session_two.casefold() in programme


def test_header_names_the_series_and_iom_in_the_documents_language(session_one):
    for language, first_line in (
        ("fr", "OIM Organisation Internationale pour les Migrations"),
        ("es", "OIM Organización Internacional para las Migraciones"),
    ):
        document = document_services.render_session_paper(session_one, language=language)
        reader = read_pdf(document)
        text = " ".join(reader.pages[0].extract_text().split())

        assert text.startswith(first_line)
        assert in_language(language, "International Dialogue on Migration").upper() in text
        assert reader.metadata.author == in_language(
            language, "International Organization for Migration"
        )


def test_days_are_written_as_each_language_writes_them(seed_event):
    french = pdf_text(document_services.render_programme(seed_event, language="fr"))
    spanish = pdf_text(document_services.render_programme(seed_event, language="es"))
    english = pdf_text(document_services.render_programme(seed_event, language="en"))

    assert "jeudi 23 mars 2006" in french
    assert "23–24 mars 2006" in french
    assert "jueves 23 de marzo de 2006" in spanish
    assert "Thursday, 23 March 2006" in english


def test_french_programme_marks_every_english_passage_and_no_french_one(session_one):
    spec = document_services.programme_spec(session_one.event, language="fr")

    html = pdf.render_html(spec.template, spec.content(), language=spec.language)

    assert html.startswith('<!DOCTYPE html>\n<html lang="fr">')
    assert f"</span> {FRENCH_TITLE}</p>" in html
    assert (
        '<span lang="en">Policy Approaches to Managing the Mobility of Health Care Workers</span>'
        in html
    )
    # An English passage of several paragraphs is marked once, on the element that holds them.
    assert re.search(r'<div class="item__themes" lang="en"><p class="item__theme">', html)
    assert '<p class="item__title"><span lang="en">Welcoming remarks</span>' in html


def test_english_programme_marks_no_passage(seed_event):
    spec = document_services.programme_spec(seed_event, language="en")

    html = pdf.render_html(spec.template, spec.content(), language=spec.language)

    assert re.findall(r' lang="(\w+)"', html) == ["en", "en", "fr", "es"]  # <html>, IOM's names


def test_fallback_passages_carry_their_language_into_the_pdf_structure(
    session_one, django_capture_on_commit_callbacks
):
    paper = session_one.background_paper

    english_body = read_pdf(document_services.render_session_paper(session_one, language="fr"))
    with django_capture_on_commit_callbacks(execute=True):  # as the admin saves it
        paper.body_fr = "Cette séance se déroulera en deux parties."
        paper.save()
    french_body = read_pdf(document_services.render_session_paper(session_one, language="fr"))

    assert ("/Div", "en") in structure_languages(english_body)
    assert [tag for tag in structure_languages(french_body) if tag[0] == "/Div"] == []
    assert "Cette séance se déroulera en deux parties." in pdf_text(
        document_services.render_session_paper(session_one, language="fr")
    )


def test_a_questions_introduction_never_written_in_french_is_the_english_one_marked(
    session_one,
):
    spec = document_services.session_paper_spec(session_one, language="fr")

    printed = spec.content()["paper"]["questions_introduction"]

    # Its French column holds the English default, which modeltranslation copied there.
    assert session_one.background_paper.questions_introduction_fr == DEFAULT_INTRODUCTION
    assert printed == {
        "text": "Other key questions to be examined during this session include:",
        "lang": "en",
    }


def test_the_default_questions_introduction_is_printed_in_the_catalogs_words(session_one):
    paper = session_one.background_paper
    paper.questions_introduction_en = DEFAULT_INTRODUCTION
    paper.save()

    french = document_services.session_paper_spec(session_one, language="fr").content()
    english = document_services.session_paper_spec(session_one, language="en").content()

    assert french["paper"]["questions_introduction"]["text"] == in_language(
        "fr", DEFAULT_INTRODUCTION
    )
    assert english["paper"]["questions_introduction"] == {
        "text": DEFAULT_INTRODUCTION,
        "lang": "",
    }


def test_english_and_french_renderings_are_stored_apart_and_both_stay_current(
    client,
    session_one,
    renders,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    english, french = paper_address(session_one, "en"), paper_address(session_one, "fr")
    first = {url: client.get(url).content for url in (english, french)}
    again = {url: client.get(url).content for url in (english, french)}
    with django_capture_on_commit_callbacks(execute=True):  # as the admin saves it
        session_one.title_fr = "Planter le décor"
        session_one.save()
    after_edit = {url: client.get(url).content for url in (english, french)}

    assert len(renders) == 3  # English and French once, French again after its edit
    assert again == first
    assert after_edit[english] == first[english]
    assert after_edit[french] != first[french]
    stored = RenderedDocument.objects.filter(kind="session_paper", key=f"session-{session_one.pk}")
    assert sorted(stored.values_list("language", flat=True)) == ["en", "fr"]
    texts = {document.language: pdf_text(document).casefold() for document in stored}
    assert "planter le décor" in texts["fr"]
    assert FRENCH_TITLE.casefold() not in texts["fr"]
    assert "planter le décor" not in texts["en"]


def test_french_download_is_named_in_french(client, session_one):
    response = client.get(address("documents:programme-pdf", "fr", event=session_one.event.slug))

    assert response["Content-Disposition"] == (
        'inline; filename="migration-and-human-resources-for-health-programme-fr.pdf"'
    )


def test_speaker_brief_is_in_the_language_asked_or_the_active_one(seed_event):
    speaker = speaker_of(seed_event.sessions.get(number=1))

    spanish = document_services.render_speaker_brief(speaker, event=seed_event, language="es")
    with translation.override("fr"):
        active = document_services.speaker_brief_spec(speaker, event=seed_event)

    assert spanish.language == "es"
    assert read_pdf(spanish).trailer["/Root"]["/Lang"] == "es"
    assert in_language("es", "Practical information") in pdf_text(spanish)
    assert active.language == "fr"


def test_a_language_the_site_does_not_have_is_refused(seed_event):
    speaker = speaker_of(seed_event.sessions.get(number=1))

    with pytest.raises(ValueError):
        document_services.speaker_brief_spec(speaker, event=seed_event, language="de")
