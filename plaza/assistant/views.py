"""党群小智 pages: the conversation (ask, see the answer with its sources, feedback, 转人工), one question,
the documents as people read them, and the staff's office (documents and upload, the 转人工 queue, the
answer form with 加入常见问题, the report of unanswered and unhelpful questions)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plaza.lib import listing
from plaza.lib.params import choice_param
from plaza.lib.refusals import messages_of
from plaza.lib.schemas import found_or_404
from plaza.orgs.permissions import Cap, Scope

from . import queries, services
from .forms import AskForm, ExampleForm, StaffAnswerForm, UploadForm
from .models import Question, Status

CONVERSATION = 20


def _errors(exc: Exception) -> str:
    return "；".join(messages_of(exc))


def _require_staff(request: HttpRequest) -> Scope:
    scope = Scope.of(request.user, Cap.ASSISTANT)
    if scope.is_empty:
        raise PermissionDenied
    return scope


def _own(request: HttpRequest, question_id: int) -> Question:
    return found_or_404(queries.own_question(request.user, question_id))


# ------------------------------------------------------------------------------------------ people


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The conversation: the person's last questions oldest first, each with its answer and sources."""
    form = AskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            asked = services.ask(request.user, form.cleaned_data["text"])
        except ValidationError as exc:
            form.add_error("text", _errors(exc))
        else:
            return redirect(f"{request.path}#q{asked.pk}")
    recent = list(queries.questions_of(request.user)[:CONVERSATION])[::-1]
    return render(
        request,
        "assistant/index.html",
        {
            "form": form,
            "conversation": recent,
            "suggested": queries.SUGGESTED,
            "active_tab": "services",
            "keeps": queries.is_staff(request.user),
        },
    )


@login_required
def question(request: HttpRequest, question_id: int) -> HttpResponse:
    return render(request, "assistant/question.html", {"q": _own(request, question_id), "active_tab": "services"})


@login_required
@require_POST
def feedback(request: HttpRequest, question_id: int) -> HttpResponse:
    found = _own(request, question_id)
    services.give_feedback(request.user, found, request.POST.get("helpful") == "yes")
    messages.success(request, _("谢谢您的反馈。"))
    if request.POST.get("next") == "question":
        return redirect("assistant:question", found.pk)
    return redirect(f"{reverse('assistant:index')}#q{found.pk}")


@login_required
@require_POST
def hand_off(request: HttpRequest, question_id: int) -> HttpResponse:
    found = _own(request, question_id)
    try:
        services.hand_off(request.user, found)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("已转人工。工作人员解答后会通过消息通知您。"))
    return redirect("assistant:question", found.pk)


@login_required
def documents(request: HttpRequest) -> HttpResponse:
    page = Paginator(queries.readable_documents(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "assistant/documents.html", {"page": page, "active_tab": "services"})


@login_required
def document(request: HttpRequest, document_id: int) -> HttpResponse:
    found = get_object_or_404(queries.readable_documents(request.user), pk=document_id)
    return render(
        request,
        "assistant/document.html",
        {"document": found, "passages": found.passages.all(), "active_tab": "services"},
    )


# ------------------------------------------------------------------------------------------ staff


@login_required
def office(request: HttpRequest) -> HttpResponse:
    """Documents of the knowledge base, the upload form and the counts of the queue."""
    _require_staff(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            done = services.import_document(
                request.user, upload.name, upload.read(), upload=True, title=form.cleaned_data["title"]
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error("file", _errors(exc))
        else:
            if done.skipped:
                messages.info(request, _("《%(title)s》没有变化，未重新导入。") % {"title": done.document.title})
            else:
                messages.success(
                    request,
                    _("《%(title)s》已导入，共 %(n)s 段。") % {"title": done.document.title, "n": done.passages},
                )
            return redirect("assistant:office")
    page = Paginator(queries.managed_documents(request.user), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "assistant/office.html",
        {"form": form, "page": page, "waiting": queries.queue(request.user).count(), "active_tab": "services"},
    )


@login_required
@require_POST
def publish(request: HttpRequest, document_id: int) -> HttpResponse:
    _require_staff(request)
    found = get_object_or_404(queries.managed_documents(request.user), pk=document_id)
    services.set_published(request.user, found, request.POST.get("published") == "1")
    return redirect("assistant:office")


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    page = Paginator(queries.queue(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "assistant/queue.html", {"page": page, "active_tab": "services"})


@login_required
def staff_question(request: HttpRequest, question_id: int) -> HttpResponse:
    """One question as staff see it: what was answered, from where, and the form for the person's answer."""
    _require_staff(request)
    found = get_object_or_404(queries.staff_questions(request.user), pk=question_id)
    form = StaffAnswerForm(request.POST or None, initial={"text": found.staff_answer})
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_question(request.user, found, form.cleaned_data["text"])
        except (ValidationError, PermissionDenied) as exc:
            form.add_error("text", _errors(exc))
        else:
            messages.success(request, _("已解答，提问人会收到消息通知。"))
            return redirect("assistant:staff_question", found.pk)
    return render(
        request,
        "assistant/staff_question.html",
        {
            "q": found,
            "form": form,
            "active_tab": "services",
            "can_faq": found.status == Status.STAFF_ANSWERED and not found.faq_passage_id,
        },
    )


@login_required
@require_POST
def make_faq(request: HttpRequest, question_id: int) -> HttpResponse:
    _require_staff(request)
    found = get_object_or_404(queries.staff_questions(request.user), pk=question_id)
    try:
        passage = services.make_faq(request.user, found)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("已加入常见问题，小智今后可以直接回答。"))
        return redirect(passage.url)
    return redirect("assistant:staff_question", found.pk)


@login_required
def examples(request: HttpRequest) -> HttpResponse:
    """常见问法: the ways people ask for each section, confirmed by askers or written by staff, searchable; staff
    add one for a section (or as a question the knowledge base does not answer) and remove a wrong one."""
    _require_staff(request)
    form = ExampleForm(request.POST or None, sections=queries.example_sections())
    if request.method == "POST" and form.is_valid():
        title, heading, off_topic = form.chosen()
        try:
            services.add_example(request.user, form.cleaned_data["text"], title, heading, off_topic=off_topic)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error("text", _errors(exc))
        else:
            messages.success(request, _("已添加。小智回答下一个问题时就会用上。"))
            return redirect("assistant:examples")
    q = listing.search_text(request.GET)
    kind = choice_param(request, "kind", queries.EXAMPLE_KINDS)
    page = Paginator(queries.examples(q, kind), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "assistant/examples.html",
        {"form": form, "page": page, "q": q, "kind": kind, "kinds": queries.EXAMPLE_KINDS, "active_tab": "services"},
    )


@login_required
@require_POST
def remove_example(request: HttpRequest, example_id: int) -> HttpResponse:
    _require_staff(request)
    try:
        services.remove_example(request.user, found_or_404(queries.example(example_id)))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("已删除这条常见问法。"))
    return redirect("assistant:examples")


@login_required
def report(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    page = Paginator(queries.report(request.user), 30).get_page(request.GET.get("page"))
    figures = queries.report_figures(request.user)
    return render(
        request,
        "assistant/report.html",
        {"page": page, "figures": figures, "chart": queries.report_chart(figures), "active_tab": "services"},
    )
