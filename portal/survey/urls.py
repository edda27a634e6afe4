from django.urls import path

from portal.survey import views

app_name = "survey"
# The fixed addresses first: a service's slug could otherwise take them.
urlpatterns = [
    path("ikm/", views.index, name="index"),
    path("terima-kasih/", views.thanks, name="thanks"),
    path("isi/<str:token>/", views.answer, name="answer"),
    path("<slug:slug>/", views.public, name="public"),
]
