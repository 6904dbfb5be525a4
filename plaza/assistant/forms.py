import hashlib
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .importers import KINDS


class AskForm(forms.Form):
    text = forms.CharField(
        label=_("您的问题"),
        max_length=500,
        widget=forms.TextInput(attrs={"placeholder": _("例如：生孩子工会给多少慰问金？"), "autocomplete": "off"}),
    )


class UploadForm(forms.Form):
    file = forms.FileField(label=_("文件（.md .docx .pdf .txt）"))
    title = forms.CharField(label=_("标题（不填则取文件中的标题）"), max_length=200, required=False)

    def clean_file(self):  # noqa: ANN201
        file = self.cleaned_data["file"]
        if not any(file.name.lower().endswith(ext) for ext in KINDS):
            raise forms.ValidationError(_("只支持 .md .docx .pdf .txt 文件。"))
        if file.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("文件不能超过 10 MB。"))
        return file


class StaffAnswerForm(forms.Form):
    text = forms.CharField(label=_("人工解答"), max_length=4000, widget=forms.Textarea(attrs={"rows": 6}))


#: The choice of :class:`ExampleForm` for a question the knowledge base does not answer.
OFF_TOPIC = "off-topic"


def section_key(title: str, heading: str) -> str:
    """A section's value in the form: short and stable while the section exists (its position in the list is
    not: a document published between showing the form and sending it would shift every later one)."""
    return hashlib.sha1(f"{title}\n{heading}".encode()).hexdigest()[:16]


class ExampleForm(forms.Form):
    """A 常见问法 written by staff: the wording, and the section it asks for (grouped by document) or 知识库不回答."""

    text = forms.CharField(
        label=_("问法"),
        max_length=500,
        widget=forms.TextInput(attrs={"placeholder": _("例如：媳妇生娃工会给钱吗"), "autocomplete": "off"}),
        help_text=_("按员工的说法写，口语、错别字都可以；小智会把相近的问题引到所选章节。"),
    )
    section = forms.ChoiceField(label=_("对应章节"))

    def __init__(self, *args: Any, sections: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sections = {section_key(title, heading): (title, heading) for title, heading in sections}
        groups: dict[str, list[tuple[str, str]]] = {}
        for title, heading in sections:
            groups.setdefault(title, []).append((section_key(title, heading), heading or title))
        self.fields["section"].choices = [
            ("", _("请选择章节")),
            (OFF_TOPIC, _("（知识库不回答的问题，小智应转人工）")),
            *groups.items(),
        ]

    def chosen(self) -> tuple[str, str, bool]:
        """(title, heading, off_topic) of the chosen section."""
        value = self.cleaned_data["section"]
        if value == OFF_TOPIC:
            return "", "", True
        title, heading = self.sections[value]
        return title, heading, False
