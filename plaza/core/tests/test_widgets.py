from datetime import date, datetime

from django import forms
from django.utils import translation

from plaza.lib.widgets import DateInput, DateTimeInput


class Dates(forms.Form):
    on = forms.DateField(widget=DateInput(), initial=date(2025, 3, 1))
    at = forms.DateTimeField(widget=DateTimeInput(), initial=datetime(2025, 3, 1, 14, 30))


def test_date_pickers_get_iso_values_in_every_language():
    for language in ("zh-hans", "en"):
        with translation.override(language):
            html = str(Dates())
        assert 'type="date"' in html and 'value="2025-03-01"' in html
        assert 'type="datetime-local"' in html and 'value="2025-03-01T14:30"' in html
