from django import forms
from django.utils.translation import gettext_lazy as _


class RuleForm(forms.Form):
    """One rule's new value for an organisation; the range is checked by the service (``LocalRule.parse``)."""

    value = forms.CharField(label=_("取值"), max_length=30)
    note = forms.CharField(label=_("依据或说明"), max_length=200, help_text=_("例如：2026 年 3 月 5 日党委会议决定"))
