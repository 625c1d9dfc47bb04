from django.urls import path

from onestop.stewards import views

app_name = "stewards"
urlpatterns = [
    path("", views.home, name="home"),
    path("projects/<int:pk>/", views.project, name="project"),
    path("projects/<int:pk>/messages/", views.messages, name="messages"),
    path("projects/<int:pk>/staff/", views.assign, name="assign"),
    path("projects/<int:pk>/milestones/", views.add_milestone, name="add_milestone"),
    path("projects/<int:pk>/milestones/<int:milestone_id>/progress/", views.milestone_progress, name="progress"),
    path("projects/<int:pk>/work-items/", views.add_work_item, name="add_work_item"),
    path("projects/<int:pk>/work-items/<int:item_id>/state/", views.work_item_state, name="work_item_state"),
    path("projects/<int:pk>/work-items.xlsx", views.work_items_xlsx, name="work_items_xlsx"),
    path("projects/<int:pk>/route.pdf", views.route_pdf, name="route_pdf"),
    path("projects/<int:pk>/gantt.svg", views.gantt_svg, name="gantt"),
    path("attachments/<int:message_id>/", views.attachment, name="attachment"),
]
