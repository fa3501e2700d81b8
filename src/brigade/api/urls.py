from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from brigade.api.field import PhotoUploadView
from brigade.api.field_entries import FieldEntryView
from brigade.api.imports import ImportPreviewView
from brigade.api.resources import RESOURCES
from brigade.api.views import IncidentStatsView, MetricsView, viewset_for

router = DefaultRouter()
for resource in RESOURCES:
    router.register(resource.path, viewset_for(resource), basename=resource.path)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("metrics/", MetricsView.as_view(), name="api-metrics"),
    path("imports/preview/", ImportPreviewView.as_view(), name="api-import-preview"),
    path("photos/", PhotoUploadView.as_view(), name="api-photos"),
    path("field/entries/", FieldEntryView.as_view(), name="api-field-entries"),
    # Before the router, whose incidents/<pk>/ would otherwise take "stats" for a record id.
    path("incidents/stats/", IncidentStatsView.as_view(), name="api-incident-stats"),
    path("", include(router.urls)),
]
