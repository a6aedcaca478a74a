from django.urls import path

from reporting import views

app_name = "reporting"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("reports/grant/", views.grant_report_list, name="grant_report_list"),
    path("reports/grant/<int:year>/", views.grant_report, name="grant_report"),
    path("reports/expenses/", views.expense_list, name="expense_list"),
    path("reports/expenses/new/", views.expense_create_view, name="expense_create"),
    path("reports/evaluation-export/", views.evaluation_export, name="evaluation_export"),
    path("reports/evaluation-export/codebook/", views.evaluation_codebook, name="evaluation_codebook"),
]
