from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "消防救援大队业务管理与分析系统"
admin.site.site_title = "Brigade 管理后台"
admin.site.index_title = "台账与业务数据"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("brigade.api.urls")),
    path("", include("brigade.web.urls")),
]
