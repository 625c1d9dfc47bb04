from django.urls import path

from onestop.outreach import views

app_name = "outreach"
urlpatterns = [
    path("", views.home, name="home"),
    path("ask/", views.ask, name="ask"),
    path("queue/", views.queue, name="queue"),
    path("requests/<int:pk>/accept/", views.accept, name="accept"),
    path("requests/<int:pk>/complete/", views.complete, name="complete"),
    path("requests/<int:pk>/close/", views.close, name="close"),
    path("enterprises/", views.enterprises, name="enterprises"),
    path("overview/", views.overview, name="overview"),
    path("review/", views.review_page, name="review"),
    path("review.xlsx", views.review_excel, name="review_excel"),
]
