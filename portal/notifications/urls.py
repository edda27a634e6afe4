from django.urls import path

from portal.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.follow, name="follow"),
    path("<int:pk>/dibaca/", views.read, name="read"),
    path("semua-dibaca/", views.read, name="read_all"),
    path("pengaturan/", views.preferences, name="preferences"),
]
