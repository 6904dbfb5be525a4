"""Forms of 共青团 (dates through plaza.lib.fields)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from plaza.lib import clock
from plaza.lib.fields import DateField
from plaza.lib.widgets import DateInput

DATE = DateInput()


class RecommendForm(forms.Form):
    employee_no = forms.CharField(label=_("团员工号"), max_length=32)
    recommended_on = DateField(label=_("推荐日期"), widget=DATE, initial=clock.today)
    reason = forms.CharField(
        label=_("推荐理由（团支部大会或支委会意见）"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        initial=_("经团支部大会民主推荐，该同志政治坚定、工作积极、团结同志，推荐为入党积极分子人选。"),
    )


class ConfirmForm(forms.Form):
    done_on = DateField(label=_("支部委员会研究确定日期"), widget=DATE, initial=clock.today)
    decision = forms.CharField(
        label=_("支部委员会研究意见"),
        max_length=1000,
        initial=_("经支部委员会研究，同意确定为入党积极分子。"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("撤回理由"), max_length=200)
