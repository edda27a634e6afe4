"""ALOKON pages. Nothing here names a person; faskes and items appear by id."""

from django.urls import path

from alokon.views import allocation, dispatch, ledger, usage

app_name = "alokon"

urlpatterns = [
    path("", ledger.dashboard, name="dashboard"),
    # Distributions, step by step.
    path("penyaluran/", dispatch.distribution_list, name="distributions"),
    path("<slug:service>/permintaan/", allocation.request_new, name="request"),
    path("penyaluran/<int:pk>/", dispatch.distribution_detail, name="distribution"),
    path("penyaluran/<int:pk>/spmb.pdf", dispatch.spmb_pdf, name="spmb_pdf"),
    path("penyaluran/<int:pk>/sbbk.pdf", dispatch.sbbk_pdf, name="sbbk_pdf"),
    # The warehouse's books.
    path("stok/", ledger.stock_lots, name="stock"),
    path("stok/barang/<int:item>/", ledger.stock_card, name="stock_card"),
    path("stok/barang/<int:item>/kartu-stok.pdf", ledger.stock_card_pdf, name="stock_card_pdf"),
    path("stok/penerimaan/", ledger.receipt_new, name="receipt_new"),
    path("stok/penerimaan/<int:pk>/sbbm.pdf", ledger.receipt_pdf, name="receipt_pdf"),
    path("stok/penyesuaian/", ledger.adjustment_new, name="adjustment_new"),
    path("stok/mutasi/<int:pk>/batal/", ledger.movement_reverse, name="movement_reverse"),
    path("stok/bulanan/", ledger.month_report, name="month"),
    path("stok/bulanan/laporan.pdf", ledger.month_report_pdf, name="month_pdf"),
    path("stok/opname/", ledger.count_list, name="counts"),
    path("stok/opname/<int:pk>/", ledger.count_detail, name="count"),
    path("stok/opname/<int:pk>/stok-opname.pdf", ledger.count_pdf, name="count_pdf"),
    # The routine distribution plan (1b).
    path("rencana/", allocation.plan_list, name="plans"),
    path("rencana/<int:pk>/", allocation.plan_detail, name="plan"),
    path("rencana/<int:pk>/spmb/", allocation.plan_spmb, name="plan_spmb"),
    path("rencana/<int:pk>/sbbk/", allocation.plan_sbbk, name="plan_sbbk"),
    path("rencana/<int:pk>/rencana.pdf", allocation.plan_pdf, name="plan_pdf"),
    # The faskes' monthly reports (7-9) and the New SIGA export.
    path("laporan/", usage.report_list, name="reports"),
    path("laporan/<int:facility>/<str:month>/baru/", usage.report_new, name="report_new"),
    path("laporan/<int:pk>/", usage.report_detail, name="report"),
    path("laporan/new-siga.xlsx", usage.siga_xlsx, name="siga_xlsx"),
]
