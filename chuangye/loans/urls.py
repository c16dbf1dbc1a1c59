"""Loan pages, mounted at the site root: the borrower's under me/loans/, the workbench's under workbench/loans/."""

from django.urls import path

from chuangye.loans import portal, subsidy_views, workbench

app_name = "loans"
urlpatterns = [
    path("me/loans/", portal.my_loans, name="my_loans"),
    path("me/loans/apply/", portal.apply, name="apply"),
    path("me/loans/<int:loan_id>/", portal.my_loan, name="my_loan"),
    path("workbench/loans/", workbench.home, name="home"),
    path("workbench/loans/applications/<int:application_id>/", workbench.application_page, name="application"),
    path("workbench/loans/<int:loan_id>/", workbench.loan_page, name="loan"),
    path("workbench/loans/fund/", workbench.fund_page, name="fund"),
    path("workbench/loans/repayments/upload/", subsidy_views.repayment_upload, name="repayment_upload"),
    path("workbench/loans/subsidy/", subsidy_views.subsidy_home, name="subsidy"),
    path("workbench/loans/subsidy/claims/<int:claim_id>/", subsidy_views.claim_page, name="claim"),
    path(
        "workbench/loans/subsidy/claims/<int:claim_id>/statement.xlsx", subsidy_views.claim_statement, name="statement"
    ),
    path("workbench/loans/subsidy/batches/<int:batch_id>/", subsidy_views.batch_page, name="batch"),
]
