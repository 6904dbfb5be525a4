from django.contrib import admin

from .models import Article, Category, Plan, PlanItem, Resource


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "publish_at", "pinned", "required", "due_on"]
    search_fields = ["title"]
    readonly_fields = ["created_by"]


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "downloads", "withdrawn_at"]
    search_fields = ["title"]
    readonly_fields = ["created_by", "downloads"]


class PlanItemInline(admin.TabularInline):
    model = PlanItem
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "starts_on", "ends_on", "withdrawn_at"]
    inlines = [PlanItemInline]
