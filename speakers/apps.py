from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpeakersConfig(AppConfig):
    name = "speakers"
    verbose_name = _("Speakers")

    def ready(self):
        from speakers import signals  # noqa: F401 - slides' files, speaker-link mail outcomes
