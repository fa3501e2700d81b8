"""Hazard workflow through the API: the same service functions the web, CLI and import call.

Workflow fields are read-only on the record endpoint; a step is a POST to
``/api/hazards/{id}/transition/``. A refused step is a 400 naming the field; a stale
``expected_version`` (someone changed the hazard meanwhile) is a 409.
"""

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.response import Response

from brigade.supervision import services
from brigade.supervision.errors import WorkflowError
from brigade.supervision.models import Hazard, HazardEvent
from brigade.supervision.services.common import HazardConflict


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "记录已被他人修改，请刷新后重试。"
    default_code = "conflict"


class TransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=[
        ("order", "责令整改"), ("rectify", "整改完成"), ("request_reinspection", "申请复查"),
        ("reinspect", "复查"), ("close", "销案"),
    ], label="操作")
    date = serializers.DateField(label="业务日期")
    deadline = serializers.DateField(required=False, allow_null=True, label="整改期限（责令整改时填写）")
    passed = serializers.BooleanField(required=False, default=True, label="复查合格")
    note = serializers.CharField(required=False, allow_blank=True, max_length=300, label="说明")
    expected_version = serializers.IntegerField(required=False, min_value=0, max_value=2**31 - 1,
                                                label="页面加载时的版本号")
    client_id = serializers.UUIDField(required=False, label="客户端编号（重发时不重复办理）")


def _run(hazard: Hazard, data: dict, user):
    common = {"hazard": hazard, "by": user, "note": data.get("note", ""),
              "expected_version": data.get("expected_version")}
    day, step = data["date"], data["action"]
    if step == "order":
        return services.hazard_order(ordered_on=day, deadline=data.get("deadline"), **common)
    if step == "rectify":
        return services.hazard_rectify(rectified_on=day, **common)
    if step == "request_reinspection":
        return services.hazard_request_reinspection(requested_on=day, **common)
    if step == "reinspect":
        return services.hazard_reinspect(reinspected_on=day, passed=data.get("passed", True), **common)
    return services.hazard_close(closed_on=day, **common)


class HazardWorkflowMixin:
    """Adds the workflow to the generic hazards endpoint; creation goes through hazard_record."""

    def perform_create(self, serializer):
        data = serializer.validated_data
        try:
            serializer.instance = services.hazard_record(
                inspection=data["inspection"], category=data["category"], found_on=data.get("found_on"),
                description=data.get("description", ""), is_major=data.get("is_major", False),
                by=self.request.user, client_id=getattr(self, "client_id", None))
        except WorkflowError as exc:
            raise serializers.ValidationError({exc.field or "non_field_errors": [exc.message]}) from exc

    @extend_schema(request=TransitionSerializer, summary="隐患流程操作（责令整改、整改、复查、销案）", tags=["火灾隐患"])
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        from brigade.api.field import client_id_of

        hazard = self.get_object()
        form = TransitionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        client_id = client_id_of(request)
        # A resent step (the phone never heard the answer) finds its own event and changes nothing.
        if client_id is not None and HazardEvent.objects.filter(client_id=client_id, hazard=hazard).exists():
            hazard.refresh_from_db()
            return Response(self.get_serializer(hazard).data)
        try:
            with transaction.atomic():
                hazard = _run(hazard, form.validated_data, request.user)
                if client_id is not None:
                    event = HazardEvent.objects.filter(hazard=hazard).order_by("-at", "-pk").first()
                    HazardEvent.objects.filter(pk=event.pk).update(client_id=client_id)
        except HazardConflict as exc:
            raise Conflict(exc.message) from exc
        except WorkflowError as exc:
            raise serializers.ValidationError({exc.field or "non_field_errors": [exc.message]}) from exc
        return Response(self.get_serializer(hazard).data)
