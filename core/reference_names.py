"""The names of the seeded areas of help as msgids, so that the participant catalogues translate them
(docs/languages.md § Reference data). `ReferenceData.__str__` looks a row's English name up in the page's
language under its `PARTICIPANT_CONTEXT`; a row without a translation (one an admin added later) shows its
German name. A new seeded row adds its English name here, then `manage.py participant_messages`."""

from django.utils.translation import pgettext_lazy

HELP_AREA_NAMES = [
    pgettext_lazy("area of help", "Furnishing a flat"),
    pgettext_lazy("area of help", "Finding Kita and school places"),
    pgettext_lazy("area of help", "Finding a sports club"),
    pgettext_lazy("area of help", "Cultural events"),
    pgettext_lazy("area of help", "Visits to authorities"),
    pgettext_lazy("area of help", "Learning German"),
    pgettext_lazy("area of help", "Internships and work"),
    pgettext_lazy("area of help", "Leisure together"),
]
