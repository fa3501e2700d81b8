from django.contrib.auth import views as auth_views
from django.urls import path

from brigade.web import compare_views, field, generic, imports, photos, pwa, risk_views, views, workflows

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="web/login.html", redirect_authenticated_user=True),
         name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("worklist/", views.worklist_page, name="worklist"),
    path("field/", field.field_page, name="field"),
    path("field/data.json", field.field_data, name="field-data"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service-worker"),
    path("icons/<int:size>.png", pwa.icon, name="icon"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/charts/<slug:slug>.xlsx", views.chart_download, name="chart-xlsx"),
    path("map/", views.map_page, name="map"),
    path("map/layers/<slug:slug>.geojson", views.map_layer, name="map-layer"),
    path("reports/", views.reports, name="reports"),
    path("compare/", compare_views.compare_page, name="compare"),
    path("compare/<str:period>.xlsx", compare_views.compare_xlsx, name="compare-xlsx"),
    path("reports/files/<slug:kind>/", views.report_file, name="report-file"),
    path("reports/evaluation/<int:pk>/", views.evaluation_notice, name="evaluation-notice"),
    path("risk/", risk_views.risk_page, name="risk"),
    path("risk/grades.xlsx", risk_views.grades_export, name="risk-grades-xlsx"),
    path("risk/draws/<int:pk>/notice/", risk_views.draw_notice, name="risk-draw-notice"),
    path("risk/draws/<int:pk>.xlsx", risk_views.draw_export, name="risk-draw-xlsx"),
    path("import/", imports.import_page, name="import"),
    path("import/<str:token>/bad-rows.xlsx", imports.import_bad_rows, name="import-bad-rows"),
    path("import/templates/<str:name>.xlsx", imports.import_template, name="import-template"),
    path("records/<slug:slug>/", generic.record_list, name="record-list"),
    path("records/<slug:slug>/export.xlsx", imports.record_export, name="record-export"),
    path("records/<slug:slug>/new/", generic.record_create, name="record-create"),
    path("records/<slug:slug>/<int:pk>/", generic.record_detail, name="record-detail"),
    path("records/<slug:slug>/<int:pk>/edit/", generic.record_edit, name="record-edit"),
    path("records/<slug:slug>/<int:pk>/steps/<slug:step>/", workflows.step_view, name="record-step"),
    path("records/<slug:slug>/<int:pk>/photos/", photos.photo_upload, name="photo-upload"),
    path("photos/<int:pk>/", photos.photo_file, name="photo"),
    path("records/hazards/<int:pk>/case-file.docx", photos.hazard_case_file, name="hazard-case-file"),
]
