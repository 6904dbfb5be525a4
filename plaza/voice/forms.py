"""Forms of E线声音 and 职代会提案. Lengths are checked again by the services (the API sends no form)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from plaza.lib.fields import DateField
from plaza.orgs.forms import OrganisationChoiceField

from .models import TEXT_MAX, TITLE_MAX, Kind

YES_NO = [("1", _("满意")), ("0", _("不满意"))]


class MultiplePictures(forms.ClearableFileInput):
    allow_multiple_selected = True


class PicturesField(forms.FileField):
    """Up to four pictures in one input; each is checked by ``plaza.lib.images.clean_picture`` in the service."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultiplePictures(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(PicturesField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class ItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=Kind.choices, initial=Kind.SUGGESTION)
    category = forms.ModelChoiceField(label=_("类别"), queryset=None, empty_label=_("请选择"))
    text = forms.CharField(
        label=_("内容"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("请写清楚发生了什么、希望怎样改进（不超过 2000 字）"),
    )
    place = forms.CharField(label=_("地点或产线（可不填）"), max_length=80, required=False)
    photos = PicturesField(label=_("照片（可不传，最多 4 张）"), required=False)
    anonymous = forms.BooleanField(
        label=_("对处理人匿名"),
        required=False,
        initial=True,
        help_text=_("匿名时处理人看不到您的姓名，仍可通过本条反映向您提问"),
    )
    public = forms.BooleanField(
        label=_("公开"), required=False, help_text=_("公开后其他员工可以看到内容和答复并附议，不显示姓名")
    )

    def __init__(self, *args: Any, categories: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories


class TextForm(forms.Form):
    text = forms.CharField(label=_("内容"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3}))


class RateForm(forms.Form):
    satisfied = forms.ChoiceField(label=_("您对答复是否满意"), choices=YES_NO, widget=forms.RadioSelect)
    word = forms.CharField(label=_("说一句（可不填）"), max_length=100, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("类别名称"), max_length=40)
    owner = OrganisationChoiceField(label=_("主管组织"), queryset=None, empty_label=_("请选择"))
    via_branch = forms.BooleanField(
        label=_("先由所在基层组织受理"), required=False, initial=True, help_text=_("不勾选则直接分派给主管组织")
    )
    active = forms.BooleanField(label=_("启用"), required=False, initial=True)
    order = forms.IntegerField(label=_("排序"), min_value=0, max_value=999, initial=100)

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = organisations


class CongressForm(forms.Form):
    organisation = OrganisationChoiceField(label=_("工会组织"), queryset=None, empty_label=_("请选择"))
    name = forms.CharField(label=_("会议名称"), max_length=80)
    opens_on = DateField(label=_("征集开始"))
    closes_on = DateField(label=_("征集截止"))
    meets_on = DateField(label=_("开会日期"))

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("案由（一句话说明一件事）"), max_length=TITLE_MAX)
    reason = forms.CharField(label=_("理由"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 5}))
    suggestion = forms.CharField(label=_("建议办法"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 5}))
    one_matter = forms.BooleanField(label=_("本提案只提一件事（一事一案）"), required=False)
