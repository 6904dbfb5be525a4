from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from plaza.lib import clock, dates
from plaza.lib.fields import DateField
from plaza.lib.widgets import DateInput

from .models import Category, Method
from .queries import parse_month

DATE = DateInput()
MONTH = forms.TextInput(attrs={"type": "month", "placeholder": "2025-01"})


class MonthField(forms.CharField):
    """A month typed as 2025-01 (the browser's month picker); cleaned to its first day."""

    widget = MONTH

    def to_python(self, value):  # noqa: ANN001, ANN201
        text = super().to_python(value)
        if not text:
            return None
        month = parse_month(text, date(1, 1, 1))
        if month == date(1, 1, 1):
            raise forms.ValidationError(_("月份格式应为 2025-01。"))
        return month


def _this_month() -> str:
    return f"{clock.today():%Y-%m}"


class BaseForm(forms.Form):
    category = forms.ChoiceField(label=_("类别"), choices=Category.choices)
    base = forms.DecimalField(
        label=_("月工资基数（元，税后）"),
        max_digits=14,
        decimal_places=2,
        help_text=_("学生、下岗、低保和农民党员可填 0"),
    )
    effective_from = MonthField(label=_("起始月份"), initial=_this_month, help_text=_("新基数从新工资的第一个月起执行"))
    confirm_large = forms.BooleanField(label=_("确认：月工资基数超过 100 万元属实"), required=False)


class PayForm(forms.Form):
    months = forms.MultipleChoiceField(label=_("交纳月份"), widget=forms.CheckboxSelectMultiple)
    method = forms.ChoiceField(label=_("方式"), choices=Method.choices, initial=Method.CASH)
    reference = forms.CharField(label=_("凭证号"), required=False, max_length=64)
    paid_on = DateField(label=_("交纳日期"), widget=DATE, initial=clock.today)

    def __init__(self, *args, months: list[date], **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["months"].choices = [(f"{m:%Y-%m}", dates.month(m)) for m in months]

    def clean_months(self) -> list[date]:
        return [parse_month(m, date(1, 1, 1)) for m in self.cleaned_data["months"]]


class ExtraForm(forms.Form):
    amount = forms.DecimalField(
        label=_("金额（元）"),
        max_digits=12,
        decimal_places=2,
        help_text=_("一次自愿多交 1000 元以上（含）的，全额上缴中央"),
    )
    method = forms.ChoiceField(label=_("方式"), choices=Method.choices, initial=Method.TRANSFER)
    reference = forms.CharField(label=_("凭证号"), required=False, max_length=64)
    paid_on = DateField(label=_("交纳日期"), widget=DATE, initial=clock.today)
    note = forms.CharField(label=_("说明"), required=False, max_length=255)


class ReductionForm(forms.Form):
    from_month = MonthField(label=_("起始月份"), initial=_this_month)
    to_month = MonthField(label=_("截止月份"), initial=_this_month)
    amount = forms.DecimalField(
        label=_("减免后每月应交（元）"), required=False, max_digits=10, decimal_places=2, help_text=_("空白表示免交")
    )
    reason = forms.CharField(label=_("原因"), max_length=255, widget=forms.Textarea(attrs={"rows": 2}))
    approved_by = forms.CharField(label=_("批准的上级党组织及文号"), max_length=128)
    approved_on = DateField(label=_("批准日期"), widget=DATE)


class CorrectForm(forms.Form):
    payment = forms.TypedChoiceField(label=_("要更正的记录"), coerce=int)
    amount = forms.DecimalField(label=_("调整金额（元，负数表示退回）"), max_digits=12, decimal_places=2)
    note = forms.CharField(label=_("更正原因"), max_length=255)

    def __init__(self, *args, payments: list, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["payment"].choices = [
            (p.pk, f"{dates.month(p.month)} · {p.get_kind_display()} · {p.amount} 元 · {dates.day(p.paid_on)}")
            for p in payments
        ]


class ImportForm(forms.Form):
    month = MonthField(label=_("工资月份（新基数的起始月份）"), initial=_this_month)
    file = forms.FileField(label=_("工资表（.xlsx：工号、姓名、类别、工资基数）"))
    confirm_large = forms.BooleanField(label=_("确认：表中超过 100 万元的月工资基数属实"), required=False)
