from django.urls import path

from portal.complaints import views

app_name = "complaints"
urlpatterns = [
    path("", views.new, name="new"),
    path("terkirim/", views.sent, name="sent"),
    path("lacak/", views.follow_up, name="follow_up"),
    path("daftar/", views.register, name="register"),
    path("catat/<slug:slug>/", views.record, name="record"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/arahan/", views.instruct, name="instruct"),
]
