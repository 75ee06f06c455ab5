from django import forms
from django.utils.translation import gettext_lazy as _

from innendienst.core.forms import WorkbenchFormMixin


class ApiTokenForm(WorkbenchFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “ERP interface”."),
    )
