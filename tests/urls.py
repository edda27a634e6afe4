"""The suite's URLs: the portal's, plus the test SOP app's record page."""

from django.urls import include, path

from tests.testapp import views

urlpatterns = [
    path("tiket/<int:pk>/", views.ticket_detail, name="ticket_detail"),
    path("", include("layanan.urls")),
]
