from django.urls import path

from . import views

app_name = "approvals"
urlpatterns = [
    path("", views.application_list, name="list"),
    path("apply/", views.apply, name="apply"),
    path("queue/", views.queue, name="queue"),
    path("<int:pk>/", views.application, name="application"),
    path("<int:pk>/timeline/", views.timeline, name="timeline"),
    path("tasks/<int:pk>/", views.task, name="task"),
]
