"""Forms of 疗休养 (dates through plaza.lib.fields)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from plaza.lib.fields import DateField
from plaza.lib.widgets import DateInput
from plaza.orgs.forms import OrganisationChoiceField

from .models import Method

DATE = DateInput()


class QuotaForm(forms.Form):
    organisation = OrganisationChoiceField(label=_("工会组织"), queryset=None, empty_label=None)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    places = forms.IntegerField(label=_("名额"), min_value=0, max_value=100000)

    def __init__(self, *args, organisations, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class RouteForm(forms.Form):
    organisation = OrganisationChoiceField(label=_("工会组织"), queryset=None, empty_label=None)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    name = forms.CharField(label=_("线路名称"), max_length=80)
    destination = forms.CharField(label=_("目的地"), max_length=80)
    days = forms.IntegerField(label=_("天数"), min_value=1, max_value=30)
    description = forms.CharField(label=_("行程安排"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, organisations, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class BatchForm(forms.Form):
    starts_on = DateField(label=_("出发日期"), widget=DATE)
    ends_on = DateField(label=_("返回日期"), widget=DATE)
    places = forms.IntegerField(label=_("名额"), min_value=1, max_value=10000)
    signup_closes_on = DateField(label=_("报名截止日期"), widget=DATE)


class AllocateForm(forms.Form):
    method = forms.ChoiceField(label=_("分配方式"), choices=Method.choices, widget=forms.RadioSelect)
    seed = forms.CharField(
        label=_("抽签种子（可不填，由系统生成并记录）"),
        max_length=64,
        required=False,
        help_text=_("同一种子和同一候选名单，抽签结果完全相同，可供复核。"),
    )


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("满意度（5 分最高）"),
        coerce=int,
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("意见建议"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
