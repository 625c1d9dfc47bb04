from django.urls import path

from onestop.worktime import views

app_name = "worktime"
urlpatterns = [
    path("deadline", views.deadline, name="deadline"),
    path("calendar/", views.calendar_index, name="calendar-index"),
    path("calendar/<int:year>", views.calendar, name="calendar"),
]
