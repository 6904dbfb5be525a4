"""Forms of 工会 (dates through plaza.lib.fields)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from plaza.lib import clock
from plaza.lib.fields import DateField
from plaza.lib.widgets import DateInput
from plaza.orgs.forms import OrganisationChoiceField
from plaza.rules.union import school_year

from .models import BATCH_KINDS, CARE_KINDS, HELP_KINDS, Cause, Kind
from .services import school_year_name

DATE = DateInput()
PICTURE = forms.ClearableFileInput(attrs={"accept": "image/*"})
DOCUMENT = forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"})


class JoinForm(forms.Form):
    statement = forms.CharField(
        label=_("入会申请说明"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("承认《中国工会章程》，自愿加入中华全国总工会（可不填）"),
    )


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("意见"), required=False, max_length=255)


class LeaveForm(forms.Form):
    reason = forms.CharField(label=_("退会原因"), max_length=255)


class CareForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("慰问类别"), choices=[(k, Kind(k).label) for k in CARE_KINDS if k not in BATCH_KINDS]
    )
    event_on = DateField(label=_("事件日期"), widget=DATE, help_text=_("如孩子出生日期、住院日期"))
    photo = forms.ImageField(label=_("证明照片"), required=False, widget=PICTURE, help_text=_("如出生医学证明的照片"))
    document = forms.FileField(label=_("证明文件"), required=False, widget=DOCUMENT, help_text=_("PDF、JPG 或 PNG"))
    children = forms.IntegerField(
        label=_("本次生育孩子数"),
        required=False,
        min_value=1,
        max_value=6,
        initial=1,
        help_text=_("生育慰问填写；双胞胎或多胞胎每多一个孩子增加慰问金"),
    )
    spouse_no = forms.CharField(
        label=_("配偶工号"),
        required=False,
        max_length=32,
        help_text=_("生育慰问：配偶也是公司工会会员时填写，夫妻只能由一方申请"),
    )
    late_reason = forms.CharField(
        label=_("逾期申请理由"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("超过申请期限的，书面说明特殊原因（如本人长期住院），经分工会主席同意可延长"),
    )
    note = forms.CharField(label=_("说明"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, kinds: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kinds is not None:
            self.fields["kind"].choices = [(k, Kind(k).label) for k in kinds]


def school_year_choices(today: date) -> list[tuple[int, str]]:
    current = school_year(today)
    return [(y, school_year_name(y)) for y in (current, current - 1)]


#: Help an employee applies for (the daily allowance is granted to hardship files, 送温暖 is the union's visit).
APPLICABLE_HELP_KINDS = tuple(k for k in HELP_KINDS if k not in (Kind.DAILY, *BATCH_KINDS))


class HelpForm(forms.Form):
    kind = forms.ChoiceField(label=_("帮扶类别"), choices=[(k, Kind(k).label) for k in APPLICABLE_HELP_KINDS])
    requested = forms.DecimalField(label=_("申请金额（元）"), min_value=1, max_digits=10, decimal_places=2)
    reason = forms.CharField(label=_("申请事由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    child_name = forms.CharField(
        label=_("子女姓名"), required=False, max_length=64, help_text=_("金秋助学填写：每个子女每学年申请一次")
    )
    school_year = forms.TypedChoiceField(
        label=_("学年"), required=False, coerce=int, empty_value=None, help_text=_("金秋助学填写")
    )
    document = forms.FileField(
        label=_("证明材料"), required=False, widget=DOCUMENT, help_text=_("诊断证明、录取通知书等，PDF、JPG 或 PNG")
    )

    def __init__(self, *args: Any, kinds: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kinds is not None:
            self.fields["kind"].choices = [(k, Kind(k).label) for k in kinds if k in APPLICABLE_HELP_KINDS]
        self.fields["school_year"].choices = school_year_choices(clock.today())


class FestivalForm(forms.Form):
    organisation = OrganisationChoiceField(label=_("工会组织"), queryset=None, empty_label=None)
    festival = forms.ChoiceField(
        label=_("节日"), choices=[("春节", _("春节")), ("端午节", _("端午节")), ("中秋节", _("中秋节"))]
    )
    event_on = DateField(label=_("发放日期（节日）"), widget=DATE)
    amount = forms.DecimalField(label=_("每人金额（元）"), min_value=1, max_digits=10, decimal_places=2)
    goods = forms.CharField(label=_("慰问品或购物卡"), required=False, max_length=128)

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class WarmthForm(forms.Form):
    organisation = OrganisationChoiceField(label=_("工会组织"), queryset=None, empty_label=None)

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class FileForm(forms.Form):
    employee_no = forms.CharField(label=_("工号"), max_length=32)
    family_size = forms.IntegerField(label=_("家庭人口"), min_value=1, max_value=30)
    family_income = forms.DecimalField(label=_("家庭月收入（元）"), min_value=0, max_digits=12, decimal_places=2)
    causes = forms.MultipleChoiceField(label=_("致困原因"), choices=Cause.choices, widget=forms.CheckboxSelectMultiple)
    circumstances = forms.CharField(
        label=_("家庭情况"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    phone = forms.CharField(label=_("联系电话"), required=False, max_length=32)


class ReviewForm(forms.Form):
    keep = forms.TypedChoiceField(
        label=_("复核结论"),
        choices=[("1", _("继续在档")), ("0", _("家庭状况好转，退出档案"))],
        coerce=lambda v: v == "1",
    )
    family_size = forms.IntegerField(label=_("家庭人口"), min_value=1, max_value=30)
    family_income = forms.DecimalField(label=_("家庭月收入（元）"), min_value=0, max_digits=12, decimal_places=2)
    note = forms.CharField(
        label=_("复核意见"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class VerifyForm(forms.Form):
    amount = forms.DecimalField(label=_("核实金额（元）"), required=False, min_value=0, max_digits=10, decimal_places=2)
    note = forms.CharField(label=_("意见"), required=False, max_length=255)


class ProvisionForm(forms.Form):
    organisation = OrganisationChoiceField(label=_("工会组织"), queryset=None)
    kind = forms.ChoiceField(label=_("类别"), choices=Kind.choices)
    amount = forms.DecimalField(label=_("金额或最高金额（元）"), min_value=0, max_digits=10, decimal_places=2)
    goods = forms.CharField(label=_("慰问品"), required=False, max_length=128)
    per_year = forms.IntegerField(label=_("每年最多次数"), required=False, min_value=1, max_value=12)
    apply_within_days = forms.IntegerField(label=_("事后申请期限（天）"), required=False, min_value=1, max_value=730)
    extended_within_days = forms.IntegerField(
        label=_("特殊原因可延长至（天）"), required=False, min_value=1, max_value=1100
    )
    extra_per_child = forms.DecimalField(
        label=_("多胞胎每多一个孩子增加（元）"), required=False, min_value=0, max_digits=10, decimal_places=2
    )
    member_months = forms.IntegerField(label=_("入会满几个月可申请"), required=False, min_value=1, max_value=36)
    measure = forms.CharField(label=_("依据办法"), max_length=128)
    article = forms.CharField(label=_("条款"), max_length=64)

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Excel 文件"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))
