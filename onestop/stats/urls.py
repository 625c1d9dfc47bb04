from django.urls import path

from onestop.stats import views

app_name = "stats"
urlpatterns = [
    path("", views.index, name="index"),
    path("statistics.xlsx", views.workbook, name="xlsx"),
]
