from django.urls import path

from portal.downloads import views

app_name = "downloads"
urlpatterns = [
    # The kind is named by its app: "cases.closure_report" (portal.downloads.registry).
    path("buat/<str:kind>/", views.create, name="create"),
    path("<int:pk>/", views.status, name="status"),
    path("<int:pk>/berkas/", views.download, name="download"),
]
