from django import forms
from django.utils.translation import gettext_lazy as _

from plaza.lib.fields import DateField, DateTimeField
from plaza.lib.widgets import DateInput, DateTimeInput
from plaza.orgs.forms import OrganisationChoiceField, OrganisationMultipleChoiceField

from .models import Kind, RecordKind
from .services import MAX_CAPACITY, MAX_POINTS


class ActivityForm(forms.Form):
    organisation = OrganisationChoiceField(label=_("主办组织"), queryset=None, empty_label=_("请选择"))
    kind = forms.ChoiceField(label=_("活动类型"), choices=Kind.choices)
    title = forms.CharField(label=_("活动名称"), max_length=80)
    description = forms.CharField(
        label=_("活动内容"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    place = forms.CharField(label=_("地点"), max_length=120)
    starts_at = DateTimeField(label=_("开始时间"), widget=DateTimeInput())
    ends_at = DateTimeField(label=_("结束时间"), widget=DateTimeInput())
    signup_deadline = DateTimeField(label=_("报名截止"), widget=DateTimeInput())
    capacity = forms.IntegerField(label=_("名额"), min_value=1, max_value=MAX_CAPACITY, initial=30)
    waiting_list = forms.BooleanField(label=_("名额满后可候补"), required=False, initial=True)
    points = forms.IntegerField(label=_("参加积分（签到后获得）"), min_value=0, max_value=MAX_POINTS, initial=5)
    audience = OrganisationMultipleChoiceField(
        label=_("面向组织（其成员可报名）"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("共建单位"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, organisations=None, audience=None, partners=None, editing: bool = False, **kwargs):  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = organisations
        self.fields["audience"].queryset = audience
        self.fields["partners"].queryset = partners


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("取消原因"), max_length=200)


class ReportForm(forms.Form):
    report = forms.CharField(label=_("活动小结"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}))


class PhotoForm(forms.Form):
    image = forms.FileField(label=_("照片"))
    caption = forms.CharField(label=_("说明（可不填）"), max_length=120, required=False)


class PartnerForm(forms.Form):
    organisation = OrganisationChoiceField(label=_("对接组织"), queryset=None, empty_label=_("请选择"))
    name = forms.CharField(label=_("单位名称"), max_length=80)
    kind = forms.CharField(
        label=_("单位类型"), max_length=40, required=False, help_text=_("如：金融机构、企业、社区、学校")
    )
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    since = DateField(label=_("共建起始日期"), required=False, widget=DateInput())
    description = forms.CharField(
        label=_("共建内容"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    active = forms.BooleanField(label=_("共建中"), required=False, initial=True)

    def __init__(self, *args, organisations=None, editing: bool = False, **kwargs):  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = organisations


class ContactForm(forms.Form):
    name = forms.CharField(label=_("联系人"), max_length=40)
    role = forms.CharField(label=_("职务"), max_length=60, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)


class RecordForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=RecordKind.choices)
    happened_on = DateField(label=_("日期"), widget=DateInput())
    title = forms.CharField(label=_("事项"), max_length=120)
    text = forms.CharField(label=_("内容"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class RangeForm(forms.Form):
    first = DateField(label=_("起始日期"), widget=DateInput())
    last = DateField(label=_("截止日期"), widget=DateInput())

    def clean(self):  # noqa: ANN201
        data = super().clean()
        if data.get("first") and data.get("last") and data["last"] < data["first"]:
            raise forms.ValidationError(_("截止日期应不早于起始日期。"))
        return data
