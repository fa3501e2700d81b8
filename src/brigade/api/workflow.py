"""A record type's workflow through the API: the same service functions the web, CLI and import call.

The record type declares its workflow (brigade.core.records.WorkflowFacet): creation goes through its
service, and a step is a POST to ``/api/<slug>/{id}/transition/`` naming the step and its date.
Workflow fields are read-only on the record endpoint. A refused step is a 400 naming the field; a
stale ``expected_version`` (someone changed the record meanwhile) is a 409.
"""

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.response import Response

from brigade.api.field import client_id_of
from brigade.core.access import limit_choices
from brigade.core.errors import Conflict, UserError
from brigade.core.records import StepInput, WorkflowFacet
from brigade.core.roles import access_for


class ConflictError(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "记录已被他人修改，请刷新后重试。"
    default_code = "conflict"


def _refused(exc: UserError) -> serializers.ValidationError:
    return serializers.ValidationError({getattr(exc, "field", None) or "non_field_errors": [str(exc)]})


def _input(spec: StepInput) -> serializers.Field:
    if spec.kind == "date":
        return serializers.DateField(required=False, allow_null=True, label=spec.label)
    if spec.kind == "record":
        return serializers.PrimaryKeyRelatedField(queryset=spec.model._default_manager.all(), required=False,
                                                  allow_null=True, label=spec.label)
    if spec.kind == "passed":  # left out: passed, as a re-inspection usually is
        return serializers.BooleanField(required=False, default=True, label=spec.label)
    return serializers.CharField(required=False, allow_blank=True, max_length=300, label=spec.label)


def transition_serializer(workflow: WorkflowFacet, model_name: str) -> type[serializers.Serializer]:
    """The step's name and date, every input any step takes, and the version the client saw."""
    choices = [(s.slug, s.title) for s in workflow.steps] + [(a, s.title) for s in workflow.steps for a in s.aliases]
    fields = {"action": serializers.ChoiceField(choices=choices, label="操作"),
              "date": serializers.DateField(label="业务日期")}
    for step in workflow.steps:
        for spec in step.inputs:
            fields.setdefault(spec.name, _input(spec))
    fields["expected_version"] = serializers.IntegerField(required=False, min_value=0, max_value=2**31 - 1,
                                                          label="页面加载时的版本号")
    fields["client_id"] = serializers.UUIDField(required=False, label="客户端编号（重发时不重复办理）")
    def get_fields(self):
        out = serializers.Serializer.get_fields(self)
        if (request := self.context.get("request")) is not None:
            limit_choices(out, access_for(request.user))  # a record named by id is one of the user's brigade
        return out

    return type(f"{model_name}TransitionSerializer", (serializers.Serializer,), {**fields, "get_fields": get_fields})


def workflow_mixin(workflow: WorkflowFacet, model) -> type:
    """Creation through the workflow's service, and the ``transition`` action running its steps."""
    form_class = transition_serializer(workflow, model.__name__)
    name = str(model._meta.verbose_name)
    titles = "、".join(s.title for s in workflow.steps)

    def create_through_service(self, serializer):
        data = serializer.validated_data
        try:
            serializer.instance = workflow.create(
                by=self.request.user, client_id=getattr(self, "client_id", None),
                **{f: data[f] for f in workflow.create_fields if f in data})
        except UserError as exc:
            raise _refused(exc) from exc

    class WorkflowMixin:
        if workflow.create is not None:  # else the plain save, under the model's rules
            perform_create = create_through_service

        @extend_schema(request=form_class, summary=f"{name}流程操作（{titles}）", tags=[name])
        @action(detail=True, methods=["post"])
        def transition(self, request, pk=None):
            record = self.get_object()
            form = form_class(data=request.data, context={"request": request})
            form.is_valid(raise_exception=True)
            data = form.validated_data
            step = workflow.step(data["action"])
            client_id = client_id_of(request)
            log = getattr(record, workflow.log) if workflow.log else None
            # A resent step (the phone never heard the answer) finds its own log row and changes nothing.
            if client_id is not None and log is not None and log.filter(client_id=client_id).exists():
                record.refresh_from_db()
                return Response(self.get_serializer(record).data)
            inputs = {spec.name: data[spec.name] for spec in step.inputs if spec.name in data}
            try:
                with transaction.atomic():
                    record = step.run(record, by=request.user, expected_version=data.get("expected_version"),
                                      **{step.day: data["date"]}, **inputs)
                    if client_id is not None and log is not None:
                        newest = log.order_by("-pk").first()  # the row this step wrote
                        log.filter(pk=newest.pk).update(client_id=client_id)
            except Conflict as exc:
                raise ConflictError(str(exc)) from exc
            except UserError as exc:
                raise _refused(exc) from exc
            return Response(self.get_serializer(record).data)

    return WorkflowMixin
