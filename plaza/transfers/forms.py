from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from plaza.lib import clock
from plaza.lib.fields import DateField
from plaza.lib.widgets import DateInput
from plaza.orgs.forms import OrganisationChoiceField

from .models import PARTY_STATUSES

DATE = DateInput()


def _today() -> str:
    return clock.today().isoformat()


class StartForm(forms.Form):
    """A member's own request (no employee number) or the branch's (with one)."""

    employee_no = forms.CharField(label=_("党员工号"), max_length=32)
    to_org = OrganisationChoiceField(label=_("接收党支部"), queryset=None, empty_label=_("请选择"))
    reason = forms.CharField(
        label=_("转接原因"), max_length=255, help_text=_("如工作单位或经常居住地变化，或外出 6 个月以上地点相对固定")
    )

    def __init__(self, *args, branches, for_member: bool = False, **kwargs) -> None:  # noqa: ANN001
        super().__init__(*args, **kwargs)
        self.fields["to_org"].queryset = branches
        if for_member:
            del self.fields["employee_no"]


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("不予接收的原因"), max_length=255)


class LetterForm(forms.Form):
    employee_no = forms.CharField(label=_("党员工号"), max_length=32)
    to_name = forms.CharField(label=_("接收党组织（系统外）"), max_length=128)
    reason = forms.CharField(label=_("转接原因"), max_length=255)
    issued_on = DateField(label=_("开具日期"), widget=DATE, initial=_today)


class ReceiptForm(forms.Form):
    received_on = DateField(label=_("回执所载接收日期"), widget=DATE, initial=_today)
    note = forms.CharField(label=_("说明"), max_length=255, required=False)


class IncomingForm(forms.Form):
    employee_no = forms.CharField(label=_("工号"), max_length=32)
    to_org = OrganisationChoiceField(label=_("接收党支部"), queryset=None, empty_label=None)
    letter_no = forms.CharField(
        label=_("介绍信编号"), max_length=64, required=False, help_text=_("没有介绍信编号的转入不予登记")
    )
    issuing_org = forms.CharField(label=_("开具介绍信的党组织"), max_length=128)
    issued_on = DateField(label=_("介绍信开具日期"), widget=DATE)
    status = forms.ChoiceField(label=_("介绍信所载政治面貌"), choices=PARTY_STATUSES)

    def __init__(self, *args, branches, **kwargs) -> None:  # noqa: ANN001
        super().__init__(*args, **kwargs)
        self.fields["to_org"].queryset = branches


class ContactForm(forms.Form):
    on = DateField(label=_("联系日期"), widget=DATE, initial=_today)
    note = forms.CharField(label=_("说明"), max_length=255, required=False)


class VerifyForm(forms.Form):
    number = forms.CharField(label=_("介绍信编号"), max_length=64)
    code = forms.CharField(label=_("校验码"), max_length=32)
