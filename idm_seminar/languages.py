"""Each page in the other languages: the addresses of its French, Spanish and English versions.

The language switcher is a set of links, not a form: cached pages carry no CSRF token, and a
link can be bookmarked and shared. The same addresses are the page's `hreflang` alternates.
"""

from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info


def alternates(request) -> dict:
    """For templates: `page_languages`, one entry per language (code, name in that language,
    address, absolute address, whether it is the page's language)."""
    if request.resolver_match is None:  # no page here (a 404): nothing to switch to
        return {"page_languages": []}
    current = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    path = request.get_full_path()
    languages = []
    for code, _name in settings.LANGUAGES:
        url = translate_url(path, code)
        languages.append(
            {
                "code": code,
                "name": get_language_info(code)["name_local"],
                "url": url,
                "absolute_url": f"{settings.SITE_URL}{url}",
                "current": code == current,
            }
        )
    return {"page_languages": languages}
