from django.contrib import admin

from .models import Document, Example, Passage, Question


class PassageInline(admin.TabularInline):
    model = Passage
    extra = 0
    fields = ["order", "heading", "text"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "published", "updated_at"]
    list_filter = ["kind", "published"]
    search_fields = ["title"]
    inlines = [PassageInline]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "person", "status", "confident", "score", "helpful", "created_at"]
    list_filter = ["status", "confident", "helpful"]
    search_fields = ["text"]
    raw_id_fields = ["person", "answered_by", "faq_passage"]


@admin.register(Example)
class ExampleAdmin(admin.ModelAdmin):
    list_display = ["text", "title", "heading", "off_topic", "source", "created_at"]
    list_filter = ["off_topic", "source", "title"]
    search_fields = ["text", "title", "heading"]
    raw_id_fields = ["question", "added_by"]
