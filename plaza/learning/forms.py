import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from plaza.lib.widgets import DateInput, DateTimeInput
from plaza.orgs.forms import OrganisationMultipleChoiceField
from plaza.orgs.models import Organisation

from .markup import clean_html
from .models import Article, Category, Plan, PlanItem, Resource

IMAGE_TYPES = (".jpg", ".jpeg", ".png", ".webp")
FILE_TYPES = (
    ".pdf",
    ".doc",
    ".docx",
    ".xls",
    ".xlsx",
    ".ppt",
    ".pptx",
    ".txt",
    ".jpg",
    ".jpeg",
    ".png",
    ".zip",
    ".wps",
    ".mp3",
    ".mp4",
)
MAX_FILE_BYTES = 20 * 1024 * 1024


def _organisations(label: str, help_text: str) -> OrganisationMultipleChoiceField:
    return OrganisationMultipleChoiceField(
        label=label,
        required=False,
        help_text=help_text,
        queryset=Organisation.objects.order_by("path"),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )


class ScopedOrganisations:
    """Staff forms offer only the organisations inside the staff member's scope (``organisations``); when
    everyone is not theirs to choose (``everyone`` False), the help text says a choice is needed. The service
    checks both again."""

    scoped_fields: tuple[str, ...] = ("organisations",)

    def _scope_organisations(self, organisations: Any, everyone: bool) -> None:
        for name in self.scoped_fields:
            field = self.fields[name]
            if organisations is not None:
                field.queryset = organisations
        if not everyone:
            self.fields["organisations"].help_text = _("请至少选择一个组织")


def _check_file(upload, types: tuple[str, ...]):  # noqa: ANN001, ANN202
    if upload and hasattr(upload, "size"):
        if not upload.name.lower().endswith(types):
            raise forms.ValidationError(_("不支持该文件类型。"))
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("文件不能超过 20 MB。"))
    return upload


class ArticleForm(ScopedOrganisations, forms.ModelForm):
    scoped_fields = ("organisations", "required_for")
    organisations = _organisations(_("发布范围"), _("不选表示所有人可见"))
    required_for = _organisations(_("必学范围"), _("不选表示发布范围内的所有人"))
    attachment = forms.FileField(label=_("添加附件"), required=False)
    media_url = forms.URLField(label=_("音视频链接"), required=False, assume_scheme="https")

    class Meta:
        model = Article
        fields = [
            "title",
            "summary",
            "body",
            "cover",
            "media_url",
            "category",
            "topics",
            "organisations",
            "pinned",
            "publish_at",
            "required",
            "required_for",
            "due_on",
        ]
        widgets = {
            "body": forms.Textarea(
                attrs={
                    "rows": 14,
                    "data-rich": "1",
                    "data-markdown-note": _("本文为 Markdown 格式（## 标题、- 列表、**加粗**），按原格式编辑和保存。"),
                }
            ),
            "publish_at": DateTimeInput(),
            "due_on": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, organisations: Any = None, everyone: bool = True, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.all()
        self._scope_organisations(organisations, everyone)
        if self.instance.pk:  # not a model field of the form: without this, stored HTML reopened as Markdown text
            self.initial["body_format"] = self.instance.body_format
        self.fields["body"].strip = False  # kept as written, so opening and saving changes nothing

    body_format = forms.ChoiceField(
        choices=[("markdown", "Markdown"), ("html", "HTML")],
        initial="markdown",
        widget=forms.HiddenInput,
        required=False,
    )

    def clean(self):  # noqa: ANN201
        """The editor sends HTML (cleaned here, never stored raw); without JavaScript, and for an article stored
        as Markdown, the body is Markdown and kept as typed."""
        data = super().clean()
        if data.get("body"):  # browsers send a textarea's lines with CRLF: stored with LF, as the demo's are
            data["body"] = data["body"].replace("\r\n", "\n")
        if data.get("body_format") == "html" and data.get("body"):
            data["body"] = clean_html(data["body"])
            if not re.sub(r"<[^>]+>", "", data["body"]).strip():
                self.add_error("body", _("请填写正文。"))
        else:
            data["body_format"] = "markdown"
        return data

    def clean_cover(self):  # noqa: ANN201
        return _check_file(self.cleaned_data.get("cover"), IMAGE_TYPES)

    def clean_attachment(self):  # noqa: ANN201
        return _check_file(self.cleaned_data.get("attachment"), FILE_TYPES)


class ResourceForm(ScopedOrganisations, forms.ModelForm):
    organisations = _organisations(_("可见范围"), _("不选表示所有人可见"))

    class Meta:
        model = Resource
        fields = ["title", "description", "category", "file", "organisations"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, organisations: Any = None, everyone: bool = True, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self._scope_organisations(organisations, everyone)

    def clean_file(self):  # noqa: ANN201
        return _check_file(self.cleaned_data.get("file"), FILE_TYPES)


class PlanForm(ScopedOrganisations, forms.ModelForm):
    organisations = _organisations(_("学习对象"), _("不选表示所有人"))

    class Meta:
        model = Plan
        fields = ["title", "kind", "description", "starts_on", "ends_on", "organisations"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "starts_on": DateInput(), "ends_on": DateInput()}

    def __init__(self, *args, organisations: Any = None, everyone: bool = True, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self._scope_organisations(organisations, everyone)


class PlanItemForm(forms.ModelForm):
    class Meta:
        model = PlanItem
        fields = ["title", "article", "resource", "due_on", "order"]
        widgets = {"due_on": DateInput()}

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        """Withdrawn articles and resources are not offered: nobody could read or download them."""
        super().__init__(*args, **kwargs)
        self.fields["article"].queryset = Article.objects.filter(withdrawn_at__isnull=True)
        self.fields["resource"].queryset = Resource.objects.filter(withdrawn_at__isnull=True)
