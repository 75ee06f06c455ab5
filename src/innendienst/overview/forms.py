from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from innendienst.core.filters import MAX_QUERY_LENGTH


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        error_messages={"max_length": _("Please search with at most %(limit_value)d characters.")},
    )
