"""Forms of 通星汇: products, campaigns, settings, registration, dealers, routing, stage moves, the landing page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from plaza.lib.fields import DateField

from .models import STAGE_ORDER, Dealer, Product, Stage


class ProductForm(forms.Form):
    name = forms.CharField(label=_("车型"), max_length=64)
    brand = forms.CharField(label=_("品牌"), max_length=32, required=False)
    tagline = forms.CharField(label=_("一句话介绍"), max_length=120, required=False)
    selling_points = forms.CharField(
        label=_("卖点（每行一条）"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    price_from = forms.DecimalField(
        label=_("指导价起（万元）"), max_digits=7, decimal_places=2, min_value=0, required=False
    )
    price_to = forms.DecimalField(
        label=_("指导价至（万元）"), max_digits=7, decimal_places=2, min_value=0, required=False
    )
    picture = forms.ImageField(label=_("图片"), required=False, help_text=_("JPG 或 PNG，5 MB 以内"))
    order = forms.IntegerField(label=_("排序"), min_value=0, max_value=999, initial=10)
    active = forms.BooleanField(label=_("在推广"), required=False, initial=True)

    def clean_picture(self):  # noqa: ANN201
        picture = self.cleaned_data.get("picture")
        if picture and picture.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("图片不能超过 5 MB。"))
        return picture


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("活动名称"), max_length=80)
    products = forms.ModelMultipleChoiceField(
        label=_("车型"), queryset=Product.objects.all(), widget=forms.CheckboxSelectMultiple
    )
    summary = forms.CharField(label=_("活动说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    starts_on = DateField(label=_("开始日期"))
    ends_on = DateField(label=_("结束日期"))
    active = forms.BooleanField(label=_("进行中"), required=False, initial=True)


class ProgrammeForm(forms.Form):
    terms = forms.CharField(label=_("通星汇推荐规则"), widget=forms.Textarea(attrs={"rows": 8}))
    points_lead = forms.IntegerField(label=_("有效留资积分"), min_value=0, max_value=1000)
    points_test_drive = forms.IntegerField(label=_("试驾积分"), min_value=0, max_value=1000)
    points_deal = forms.IntegerField(label=_("成交积分"), min_value=0, max_value=10000)
    monthly_cap = forms.IntegerField(label=_("每月积分上限"), min_value=0, max_value=100000)
    quiz_required = forms.BooleanField(label=_("分享前须通过产品答题"), required=False)
    quiz_contest_id = forms.IntegerField(label=_("产品答题竞赛编号"), required=False, min_value=1)


class RegisterForm(forms.Form):
    display_name = forms.CharField(label=_("海报署名"), max_length=32, help_text=_("显示在分享海报上，如“张师傅”"))
    accept_terms = forms.BooleanField(label=_("我已阅读并同意《通星汇推荐规则》"), required=False)


class DealerForm(forms.Form):
    name = forms.CharField(label=_("经销商名称"), max_length=80)
    code = forms.CharField(label=_("经销商代码"), max_length=16)
    city = forms.CharField(label=_("城市"), max_length=32)
    address = forms.CharField(label=_("地址"), max_length=160, required=False)
    endpoint_url = forms.URLField(label=_("线索推送地址（可选）"), required=False, assume_scheme="https")
    webhook_secret = forms.CharField(
        label=_("签名密钥（可选）"), max_length=128, required=False, widget=forms.PasswordInput(render_value=False)
    )
    active = forms.BooleanField(label=_("合作中"), required=False, initial=True)


class StaffForm(forms.Form):
    employee_no = forms.CharField(label=_("销售顾问工号（登录账号）"), max_length=32)
    manager = forms.BooleanField(label=_("店长"), required=False)


class RouteForm(forms.Form):
    city = forms.CharField(label=_("城市"), max_length=32)
    product = forms.ModelChoiceField(
        label=_("车型"), queryset=Product.objects.all(), required=False, empty_label=_("所有车型")
    )
    dealer = forms.ModelChoiceField(label=_("经销商"), queryset=Dealer.objects.filter(active=True))
    priority = forms.IntegerField(label=_("优先级（小的优先）"), min_value=0, max_value=999, initial=10)


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("更新为"), choices=[(s.value, s.label) for s in [*STAGE_ORDER[1:], Stage.LOST]])
    reason = forms.CharField(label=_("战败或退车原因"), max_length=120, required=False)

    def __init__(self, *args, allowed: list[str] | None = None, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        if allowed is not None:
            self.fields["stage"].choices = [(s, Stage(s).label) for s in allowed]


CALL_TIMES = [
    ("", _("随时")),
    ("工作日白天", _("工作日白天")),
    ("工作日晚上", _("工作日晚上")),
    ("周末", _("周末")),
]


class LeadForm(forms.Form):
    """The landing page: step one asks for the code, step two adds the code and the two consents."""

    name = forms.CharField(label=_("您的称呼"), max_length=32, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    phone = forms.CharField(
        label=_("手机号（本人）"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    city = forms.ChoiceField(label=_("所在城市"))
    product = forms.TypedChoiceField(label=_("意向车型"), coerce=int)
    dealer = forms.TypedChoiceField(label=_("意向经销商"), coerce=int, required=False, empty_value=None)
    call_time = forms.ChoiceField(label=_("方便联系的时间"), choices=CALL_TIMES, required=False)
    code = forms.CharField(
        label=_("短信验证码"),
        max_length=6,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    consent_contact = forms.BooleanField(required=False)
    consent_dealer = forms.IntegerField(required=False, min_value=1)  # a checkbox whose value names the dealer
    challenge = forms.CharField(label=_("请计算"), max_length=4, required=False)
    challenge_token = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, cities: list[str], products: list[Product], dealers: list[Dealer], **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["city"].choices = [(c, c) for c in cities]
        self.fields["product"].choices = [(p.pk, p.name) for p in products]
        self.fields["dealer"].choices = [("", _("按城市和车型推荐"))] + [
            (d.pk, f"{d.city} · {d.name}") for d in dealers
        ]
