from datetime import timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from plaza.lib.fields import DateTimeField
from plaza.lib.widgets import DateTimeInput

from .models import Format, Kind

DATETIME = DateTimeInput()
UPLOAD_TYPES = (".pdf", ".jpg", ".jpeg", ".png", ".docx", ".doc")
MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class PlanForm(forms.Form):
    kind = forms.ChoiceField(label=_("会议类型"), choices=Kind.choices)
    topic = forms.CharField(label=_("主题"), max_length=120)
    starts_at = DateTimeField(label=_("开始时间"), widget=DATETIME)
    duration = forms.IntegerField(label=_("时长（分钟）"), min_value=15, max_value=3 * 24 * 60, initial=90)
    format = forms.ChoiceField(label=_("形式"), choices=Format.choices, initial=Format.ONSITE)
    place = forms.CharField(label=_("地点"), max_length=120, required=False)
    route = forms.CharField(
        label=_("路线（巴士党课、行走党课）"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    online_link = forms.URLField(label=_("线上会议链接"), required=False, assume_scheme="https")
    guests = forms.CharField(
        label=_("列席人员工号（可不填）"), required=False, max_length=500, help_text=_("用逗号或空格分隔")
    )

    def __init__(self, *args, kinds: list[tuple[str, str]] | None = None, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        if kinds is not None and "kind" in self.fields:  # the organisation's tree decides (services.kinds_for)
            self.fields["kind"].choices = kinds

    def clean(self):  # noqa: ANN201
        data = super().clean()
        if data.get("starts_at") and data.get("duration"):
            data["ends_at"] = data["starts_at"] + timedelta(minutes=data["duration"])
        return data


class SeriesForm(forms.Form):
    kind = forms.ChoiceField(label=_("会议类型"), choices=Kind.choices, initial=Kind.THEME_DAY)
    topic = forms.CharField(label=_("主题"), max_length=120, initial=_("主题党日"))
    day_of_month = forms.IntegerField(label=_("每月几号"), min_value=1, max_value=28, initial=15)
    start_time = forms.TimeField(label=_("开始时间"), widget=forms.TimeInput(attrs={"type": "time"}))
    duration_minutes = forms.IntegerField(label=_("时长（分钟）"), min_value=15, max_value=480, initial=90)
    place = forms.CharField(label=_("地点"), max_length=120, required=False)

    def __init__(self, *args, kinds: list[tuple[str, str]] | None = None, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        if kinds is not None:
            self.fields["kind"].choices = kinds


class MinutesForm(forms.Form):
    topics = forms.CharField(label=_("议题"), widget=forms.Textarea(attrs={"rows": 2}))
    speakers = forms.CharField(label=_("发言人"), max_length=500, required=False)
    content = forms.CharField(label=_("会议内容"), widget=forms.Textarea(attrs={"rows": 8}))
    decisions = forms.CharField(label=_("会议决定"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):  # noqa: ANN201
        data = super().clean()
        for upload in self.files.getlist("files") if self.files else []:
            if not upload.name.lower().endswith(UPLOAD_TYPES):
                raise forms.ValidationError(_("附件只能是 PDF、图片（JPG/PNG）或 Word 文件。"))
            if upload.size > MAX_UPLOAD_BYTES:
                raise forms.ValidationError(_("每个附件不能超过 10 MB。"))
        return data


class ResolutionForm(forms.Form):
    title = forms.CharField(label=_("表决事项"), max_length=200)
    entitled = forms.IntegerField(label=_("应到会有表决权党员"), min_value=0, max_value=100000)
    present = forms.IntegerField(label=_("实到会"), min_value=0, max_value=100000)
    yes = forms.IntegerField(label=_("赞成（含书面意见）"), min_value=0, max_value=100000)


class ChangeForm(PlanForm):
    """A planned meeting's topic, time, form and place; its kind and list of people stay as planned."""

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        del self.fields["kind"], self.fields["guests"]
