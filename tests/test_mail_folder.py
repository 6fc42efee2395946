"""The local mail folder (var/mail/ under `make run`): a newcomer opens the newest file and
follows the link in it, so the file's text must hold each link whole."""

from django.conf import settings as django_settings

from registration import links, services
from registration.models import Registration
from tests.registration_factories import RegistrationSettingsFactory


def test_mail_file_holds_the_confirmation_link_whole(
    db, tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.MAILERS = {
        "default": {
            "BACKEND": "idm_seminar.mail.ReadableFileBackend",
            "OPTIONS": {"file_path": str(tmp_path)},
        }
    }
    event = RegistrationSettingsFactory(event__title="Santé – “Migration” of health workers").event
    details = {
        "first_name": "Zoë",
        "last_name": "Ngũgĩ",
        "organization": "Ministère de la Santé",
        "sector": Registration.Sector.GOVERNMENT_HEALTH,
        "country": "KE",
        "email": "zoe@example.org",
        "days": event.days,
        "consent_privacy": True,
    }

    with django_capture_on_commit_callbacks(execute=True):
        registration, _ = services.register(event, details=details)

    [mail_file] = list(tmp_path.iterdir())
    lines = mail_file.read_text(encoding="utf-8").splitlines()
    # The token carries the second it was signed in: the link is the one whose token opens this
    # registration, not one signed again here (which fails when a second has passed meanwhile).
    start = f"{django_settings.SITE_URL}/{event.slug}/registration/"
    [link] = [line for line in lines if line.startswith(start)]
    assert len(link) > 100
    assert links.read_token(link.removeprefix(start).removesuffix("/")) == (
        registration.access_key.hex
    )
    assert "Dear Zoë Ngũgĩ," in lines
    assert "Content-Transfer-Encoding: 8bit" in lines
