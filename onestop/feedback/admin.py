"""Read-only admin of 好差评: ratings and scores come from the actions and the data, never typed in."""
from django.contrib import admin

from onestop.feedback.models import FollowUp, PublicComment, Rating, ReturnVisit, Service
from onestop.readonly_admin import ReadOnlyAdmin


@admin.register(Service)
class ServiceAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "ref_id", "project", "steward", "rendered_at")
    list_filter = ("kind",)


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    list_display = ("service", "level", "score", "channel", "created_at")
    list_filter = ("level", "channel")


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnlyAdmin):
    list_display = ("rating", "state", "due_at", "answer_kind", "level")
    list_filter = ("state",)


@admin.register(ReturnVisit)
class ReturnVisitAdmin(ReadOnlyAdmin):
    list_display = ("project", "steward", "visited_on", "score", "visited_by")


@admin.register(PublicComment)
class PublicCommentAdmin(ReadOnlyAdmin):
    list_display = ("project", "sentiment", "state", "created_at")
    list_filter = ("state", "sentiment")
