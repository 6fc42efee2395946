"""What organizers fill in from the admin: the reason of a rejection, sent to the participants,
and the title, address and first day of a new seminar prepared from an earlier one.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from agenda import services as agenda_services


class RejectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason, sent to the participants"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class PrepareSeminarForm(forms.Form):
    """What an organizer chooses for a new seminar prepared from an earlier one."""

    title = forms.CharField(label=_("Title of the new seminar"), max_length=300)
    slug = forms.SlugField(
        label=_("Slug"),
        max_length=80,
        help_text=_("Part of every address of the new seminar: letters, digits and hyphens."),
    )
    start_date = forms.DateField(
        label=_("First day"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The agenda and the registration dates move by as many days."),
    )

    def clean_slug(self):
        # The copy's own check, so a taken address shows with the form's other errors.
        slug = self.cleaned_data["slug"]
        agenda_services.validate_new_event_slug(slug)
        return slug
