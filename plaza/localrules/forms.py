from django import forms
from django.utils.translation import gettext_lazy as _

from plaza.lib.fields import DateField


class RuleForm(forms.Form):
    """One rule's new value for an organisation; the range is checked by the service (``LocalRule.parse``)."""

    value = forms.CharField(label=_("取值"), max_length=30)
    effective_from = DateField(
        label=_("生效日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("不填为今天；不能早于今天，此前办理的事项仍按原规定"),
    )
    decided_by = forms.CharField(label=_("决定机关"), max_length=100, required=False, help_text=_("例如：党委会议"))
    note = forms.CharField(label=_("依据或说明"), max_length=200, help_text=_("例如：2026 年 3 月 5 日党委会议决定"))
