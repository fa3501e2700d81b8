"""What the phone's offline queue needs from the API: resends that never duplicate, and photos.

A record sent with ``client_id`` (a UUID the phone made when the officer saved it) is created once;
sending it again answers 200 with the record already stored, so a sync cut off half way can
simply start over.
"""

import uuid

from django.db import IntegrityError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from brigade.core.access import scoped
from brigade.core.records import RECORD_TYPES
from brigade.core.roles import access_for
from brigade.supervision.errors import WorkflowError
from brigade.supervision.photos import photo_attach

TARGETS = {"inspection": "inspections", "hazard": "hazards"}  # what a photo belongs to → its record type
BAD_CLIENT_ID = "客户端编号“{value}”无效，应为 UUID（如 1b4e28ba-2fa1-11d2-883f-0016d3cca427）。"


def client_id_of(request) -> uuid.UUID | None:
    data = request.data
    return parse_client_id(data.get("client_id") if hasattr(data, "get") else None)  # a body that is not an object


def parse_client_id(value) -> uuid.UUID | None:
    if value in (None, ""):
        return None
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise serializers.ValidationError({"client_id": [BAD_CLIENT_ID.format(value=str(value)[:60])]}) from None


class ClientIdMixin:
    """Create at most once per ``client_id``; a resend gets the stored record (HTTP 200)."""

    def create(self, request, *args, **kwargs):
        self.client_id = client_id_of(request)
        if self.client_id is not None:
            existing = self.resource.model._default_manager.filter(client_id=self.client_id).first()
            if existing is not None:
                if not self.get_queryset().filter(pk=existing.pk).exists():
                    raise serializers.ValidationError({"client_id": ["该客户端编号已被另一条记录使用。"]})
                return Response(self.get_serializer(existing).data, status=status.HTTP_200_OK)
        try:
            return super().create(request, *args, **kwargs)
        except IntegrityError:  # the same record sent twice at once: the other request stored it
            if self.client_id is None:
                raise
            existing = self.get_queryset().get(client_id=self.client_id)
            return Response(self.get_serializer(existing).data, status=status.HTTP_200_OK)

    def perform_create(self, serializer):
        serializer.save(client_id=getattr(self, "client_id", None))


class PhotoSerializer(serializers.Serializer):
    image = serializers.FileField(label="照片", allow_empty_file=False)
    inspection = serializers.IntegerField(required=False, min_value=1, label="检查记录编号")
    hazard = serializers.IntegerField(required=False, min_value=1, label="隐患编号")


class PhotoUploadView(APIView):
    """Attach a photo (JPEG, PNG or WebP) to an inspection or a hazard the user may edit."""

    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request={"multipart/form-data": PhotoSerializer}, responses={201: dict},
                   summary="上传现场照片", tags=["现场照片"])
    def post(self, request):
        form = PhotoSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        targets = {name: data[name] for name in ("inspection", "hazard") if name in data}
        body, created = attach_photo(request, data["image"], client_id_of(request), targets)
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


def attach_photo(request, upload, client_id, targets: dict[str, int]) -> tuple[dict, bool]:
    """Store a photo for the inspection or hazard named by id, if the user may edit it (photo_attach)."""
    access = access_for(request.user)
    found = {}
    for name, pk in targets.items():
        rt = RECORD_TYPES[TARGETS[name]]
        if not access.can_edit(rt.editors):
            raise PermissionDenied(access.edit_refusal(rt.title) if access.is_read_only
                                   else f"您的角色无权为{rt.title}上传照片。")
        obj = scoped(rt, access).filter(pk=pk).first()
        if obj is None:
            raise serializers.ValidationError({name: [f"没有编号为 {pk} 的{rt.title}（或不在您的范围内）。"]})
        found[name] = obj
    try:
        photo, created = photo_attach(upload=upload, client_id=client_id, by=request.user, **found)
    except WorkflowError as exc:
        raise serializers.ValidationError({exc.field or "non_field_errors": [exc.message]}) from exc
    from django.urls import reverse

    body = {"id": photo.pk, "client_id": str(photo.client_id), "inspection": photo.inspection_id,
            "hazard": photo.hazard_id, "size": photo.size, "width": photo.width, "height": photo.height,
            "url": reverse("web:photo", args=[photo.pk])}
    return body, created
