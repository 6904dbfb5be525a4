from django.contrib import admin

from .models import Delivery, Notification, Reminder, Task


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    readonly_fields = (
        "recipient",
        "state",
        "claimed_by",
        "claimed_at",
        "delivered_at",
        "failed_at",
        "attempts",
        "retry_at",
        "inbox_at",
        "email_at",
        "wecom_at",
        "error",
    )

    def has_add_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """Staff see what was sent, to whom, and what failed (and why)."""

    list_display = ("title", "kind", "subject_type", "due_at", "deadline", "cancelled_at")
    list_filter = ("kind", "subject_type", "deliveries__state")
    search_fields = ("title", "subject_id")
    date_hierarchy = "due_at"
    inlines = [DeliveryInline]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("recipient", "title", "kind", "created_at", "read_at")
    list_filter = ("kind",)
    search_fields = ("title", "recipient__name", "recipient__employee_no")
    raw_id_fields = ("recipient",)


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ("assignee", "title", "due_on", "done_at", "source_type")
    list_filter = ("source_type",)
    search_fields = ("title", "assignee__name")
    raw_id_fields = ("assignee",)
