"""The public site's pages, under /public/ on every office host (platform/urls.py)."""

from django.urls import path

from xinfang.platform.publicsite import views

app_name = "publicsite"

urlpatterns = [
    path("", views.guide, name="guide"),
    path("file", views.file_online, name="file"),
    path("receipt", views.send_receipt, name="receipt"),
    path("progress", views.lookup, name="progress"),
    path("rate", views.rate, name="rate"),
    path("review", views.review, name="review"),
]
