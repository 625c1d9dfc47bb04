from django.urls import path

from onestop.feedback import views

app_name = "feedback"
urlpatterns = [
    path("", views.desk, name="desk"),
    path("services/<int:pk>/rate/", views.rate, name="rate"),
    path("services/<int:pk>/qr.svg", views.qr, name="qr"),
    path("follow-ups/<int:pk>/answer/", views.answer, name="answer"),
    path("follow-ups/<int:pk>/rate/", views.rate_answer, name="rate_answer"),
    path("projects/<int:pk>/comments/", views.comments, name="comments"),
    path("supervision/", views.supervision, name="supervision"),
    path("supervision/comments/<int:pk>/", views.moderate, name="moderate"),
    path("supervision/visits/", views.visit, name="visit"),
    path("stars/", views.stars, name="stars"),
    path("stars.xlsx", views.stars_xlsx, name="stars_xlsx"),
]
