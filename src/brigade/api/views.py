"""Generic record endpoints and the metrics endpoint; filters answer bad values with a Chinese 400."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from brigade.api.field import ClientIdMixin
from brigade.api.permissions import RolePermission, visible_rows
from brigade.api.resources import Resource
from brigade.api.serializers import serializer_for
from brigade.api.workflow import workflow_mixin
from brigade.core.access import held_scope, search_query
from brigade.core.errors import UserError
from brigade.core.period import PeriodError, parse_period
from brigade.core.roles import access_for
from brigade.core.scope import parse_scope
from brigade.metrics.registry import compute, local_day_bounds
from brigade.metrics.rows import metric_rows
from brigade.response.stats import FIRST_DUE_METHODS, incident_stats


def _param(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, OpenApiTypes.STR, OpenApiParameter.QUERY, required=False, description=description)


PERIOD_PARAM = _param("period", "统计期间：2025、2025-H1、2025-Q3、2025-03 或 2025-01-01..2025-06-30")
SCOPE_PARAM = _param("scope", "统计范围：brigade、street:镇街名称 或 station:消防站名称")


def _id(value: str, field: str) -> int:
    if not value.isdigit() or len(value) > 18:
        raise serializers.ValidationError({field: [f"“{value}”不是有效的编号，应为正整数。"]})
    return int(value)


class RecordViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                    mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """List, read, create and update one record type; records are never deleted through the API."""

    resource: Resource
    permission_classes = [IsAuthenticated, RolePermission]

    def get_queryset(self):
        r, params = self.resource, self.request.query_params
        rows = visible_rows(self).order_by("-pk")
        if (text := params.get("period")) and r.date_field:
            try:
                period = parse_period(text)
            except PeriodError as exc:
                raise serializers.ValidationError({"period": [str(exc)]}) from exc
            if r.date_field.endswith("_at"):
                start, end = local_day_bounds(period.start, period.end)
                rows = rows.filter(**{f"{r.date_field}__gte": start, f"{r.date_field}__lt": end})
            else:
                rows = rows.filter(**{f"{r.date_field}__range": (period.start, period.end)})
        if (value := params.get("street")) and r.street:
            rows = rows.filter(**{r.street: _id(value, "street")})
        if (value := params.get("station")) and r.station:
            rows = rows.filter(**{r.station: _id(value, "station")}).distinct()
        if (value := params.get("category")) and r.category:
            rows = rows.filter(**{r.category: value})
        if (text := params.get("q")) and r.search:
            rows = rows.filter(search_query(r.model, r.search, text))
        return rows

    def get_serializer_class(self):
        return serializer_for(self.resource.model, self.resource.read_only)


def viewset_for(resource: Resource) -> type[RecordViewSet]:
    params = [p for p, on in ((PERIOD_PARAM, resource.date_field),
                              (_param("street", "镇街编号"), resource.street),
                              (_param("station", "消防站编号"), resource.station),
                              (_param("category", "类别代码"), resource.category),
                              (_param("q", "关键词"), resource.search)) if on]
    name = resource.model._meta.verbose_name
    bases: tuple[type, ...] = (RecordViewSet,)
    # A record that carries the phone's client id (what 今日任务 queues offline): resends never duplicate.
    if any(f.name == "client_id" for f in resource.model._meta.concrete_fields):
        bases = (ClientIdMixin, *bases)
    if resource.record_type.workflow is not None:  # creation and steps through the app's services
        bases = (workflow_mixin(resource.record_type.workflow, resource.model), *bases)
    attrs = {"resource": resource}
    if not resource.writable:
        attrs["http_method_names"] = ["get", "head", "options"]
    cls = type(f"{resource.model.__name__}ViewSet", bases, attrs)
    return extend_schema_view(
        list=extend_schema(parameters=params, summary=f"{name}列表", tags=[str(name)]),
        retrieve=extend_schema(summary=f"{name}详情", tags=[str(name)]),
        create=extend_schema(summary=f"新增{name}", tags=[str(name)]),
        update=extend_schema(summary=f"修改{name}", tags=[str(name)]),
        partial_update=extend_schema(summary=f"部分修改{name}", tags=[str(name)]),
    )(cls)


def _period_and_scope(request, what: str):
    """The period and scope asked for, refused when the user's role sees only one street."""
    period = parse_period(request.query_params.get("period", ""))
    access = access_for(request.user)
    asked = request.query_params.get("scope")
    if access.is_limited:
        scope = parse_scope(asked)
        if scope.key != access.scope_key:
            raise PermissionDenied(f"您只能查看{access.label or '本辖区'}的{what}（scope={access.scope_key}）。")
        return period, scope
    return period, parse_scope(held_scope(access, asked))


class MetricsView(APIView):
    """All metrics (or the codes asked for) for a period and scope, with the year-earlier figures."""

    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[PERIOD_PARAM, SCOPE_PARAM, _param("codes", "指标代码，逗号分隔")],
                   responses={200: OpenApiTypes.OBJECT}, summary="指标", tags=["指标"])
    def get(self, request):
        try:
            period, scope = _period_and_scope(request, "指标")
            codes = request.query_params.get("codes")
            table = compute(period, scope, [c for c in codes.split(",") if c] if codes else None)
        except UserError as exc:
            raise serializers.ValidationError({"detail": [str(exc)]}) from exc
        return Response({"period": period.key, "period_label": period.label, "scope": scope.key,
                         "metrics": metric_rows(table)})


class IncidentStatsView(APIView):
    """The incident statistics of ``brigade incidents stats --format json``, for a period and scope."""

    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[PERIOD_PARAM, SCOPE_PARAM,
                               _param("first_due", f"辖区站判定方法：{'、'.join(FIRST_DUE_METHODS)}（默认见配置）"),
                               _param("limit", "每项数据质量问题最多列出的记录数")],
                   responses={200: OpenApiTypes.OBJECT}, summary="接处警统计", tags=["指标"])
    def get(self, request):
        try:
            period, scope = _period_and_scope(request, "接处警统计")
            limit = request.query_params.get("limit")
            if limit is not None and not (limit.isdigit() and len(limit) <= 6):
                raise UserError(f"参数 limit 应为不小于 0 的整数，收到“{limit}”。")
            data = incident_stats(period, scope, first_due=request.query_params.get("first_due") or None,
                                  record_limit=None if limit is None else int(limit))
        except UserError as exc:
            raise serializers.ValidationError({"detail": [str(exc)]}) from exc
        return Response(data)
