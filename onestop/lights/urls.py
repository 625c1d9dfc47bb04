from django.urls import path

from . import views

app_name = "lights"
urlpatterns = [
    path("", views.index, name="index"),
    path("board/<int:bundle_id>", views.board, name="board"),
    path("board/<int:bundle_id>/nodes/<int:matter_id>", views.node, name="node"),
    path("analytics/<int:bundle_id>", views.where_time_goes, name="analytics"),
    path("items/<str:label>/<int:pk>", views.item, name="item"),
    path("ledger", views.ledger, name="ledger"),
    path("ledger.xlsx", views.ledger_excel, name="ledger-xlsx"),
    path("ledger/<int:pk>", views.entry, name="entry"),
    path("inbox", views.inbox, name="inbox"),
    path("inbox/<int:pk>/read", views.read, name="read"),
    path("inbox/read-all", views.read_all, name="read-all"),
]
