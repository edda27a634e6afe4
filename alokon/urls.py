"""ALOKON pages. Nothing here names a person; faskes and items appear by id."""

from django.urls import path

from alokon import views

app_name = "alokon"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    # Distributions, step by step.
    path("penyaluran/", views.distribution_list, name="distributions"),
    path("<slug:service>/permintaan/", views.request_new, name="request"),
    path("penyaluran/<int:pk>/", views.distribution_detail, name="distribution"),
    path("penyaluran/<int:pk>/spmb.pdf", views.spmb_pdf, name="spmb_pdf"),
    path("penyaluran/<int:pk>/sbbk.pdf", views.sbbk_pdf, name="sbbk_pdf"),
    # The warehouse's books.
    path("stok/", views.stock_lots, name="stock"),
    path("stok/barang/<int:item>/", views.stock_card, name="stock_card"),
    path("stok/barang/<int:item>/kartu-stok.pdf", views.stock_card_pdf, name="stock_card_pdf"),
    path("stok/penerimaan/", views.receipt_new, name="receipt_new"),
    path("stok/penerimaan/<int:pk>/sbbm.pdf", views.receipt_pdf, name="receipt_pdf"),
    path("stok/penyesuaian/", views.adjustment_new, name="adjustment_new"),
    path("stok/mutasi/<int:pk>/batal/", views.movement_reverse, name="movement_reverse"),
    path("stok/bulanan/", views.month_report, name="month"),
    path("stok/bulanan/laporan.pdf", views.month_report_pdf, name="month_pdf"),
    path("stok/opname/", views.count_list, name="counts"),
    path("stok/opname/<int:pk>/", views.count_detail, name="count"),
    path("stok/opname/<int:pk>/stok-opname.pdf", views.count_pdf, name="count_pdf"),
    # The routine distribution plan (1b).
    path("rencana/", views.plan_list, name="plans"),
    path("rencana/<int:pk>/", views.plan_detail, name="plan"),
    path("rencana/<int:pk>/spmb/", views.plan_spmb, name="plan_spmb"),
    path("rencana/<int:pk>/sbbk/", views.plan_sbbk, name="plan_sbbk"),
    path("rencana/<int:pk>/rencana.pdf", views.plan_pdf, name="plan_pdf"),
    # The faskes' monthly reports (7-9) and the New SIGA export.
    path("laporan/", views.report_list, name="reports"),
    path("laporan/<int:facility>/<str:month>/baru/", views.report_new, name="report_new"),
    path("laporan/<int:pk>/", views.report_detail, name="report"),
    path("laporan/new-siga.xlsx", views.siga_xlsx, name="siga_xlsx"),
]
