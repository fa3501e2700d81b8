"""One queued field record in one request: an inspection, its hazards and their photos, all or nothing.

The phone's queue (static/web/field.js) sends each recorded inspection here as a multipart form: the
part ``entry`` (JSON) and a file ``photo-<client id>`` per photo. Each part goes through the code
that serves it when sent alone — the inspection and hazard endpoints (their validation, services
and client ids) and ``attach_photo`` — inside one transaction. An entry the server refuses leaves
nothing behind, its message naming the part; a resend after a lost answer finds every part already
stored under its client id and creates nothing. One request instead of one per part is what makes a
day's queue of fifty inspections sync in seconds.

    entry = {"inspection": {client_id, unit, inspected_on, kind, campaign, note},
             "photos": [{client_id}],
             "hazards": [{client_id, category, description, is_major, found_on, photos: [{client_id}]}]}
"""

import copy
import json

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from brigade.api.field import attach_photo, parse_client_id
from brigade.api.resources import RESOURCES

BAD_ENTRY = "记录格式不正确：应包含一条检查记录（inspection）及其隐患（hazards）和照片（photos）。"
NO_PHOTO = "照片“{client_id}”没有随记录一起上传。"


def _viewset(path: str):
    from brigade.api.views import viewset_for

    return viewset_for(next(r for r in RESOURCES if r.path == path))


class EntrySerializer(serializers.Serializer):
    entry = serializers.CharField(label="记录（JSON）")


class FieldEntryView(APIView):
    """Store one inspection with its hazards and photos from the phone's queue (HTTP 201; 200 on a resend)."""

    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]
    viewsets = {}  # record path → its API viewset class, built on first use

    @extend_schema(request={"multipart/form-data": EntrySerializer}, responses={201: dict},
                   summary="同步一条现场检查记录（含隐患和照片）", tags=["现场照片"])
    def post(self, request):
        entry = _entry(request.data.get("entry"))
        stored = []  # photos written to storage, removed again if the entry is refused
        try:
            with transaction.atomic():
                answer, created = self._store(request, entry, stored)
        except Exception:
            from django.core.files.storage import default_storage

            for name in stored:
                default_storage.delete(name)
            raise
        return Response(answer, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    def _store(self, request, entry: dict, stored: list) -> tuple[dict, bool]:
        inspection, created = self._create(request, "inspections", entry["inspection"], "检查记录")
        answer = {"inspection": inspection["id"], "hazards": {}, "photos": {}}
        photos = [(p, {"inspection": inspection["id"]}) for p in entry["photos"]]
        for n, data in enumerate(entry["hazards"], start=1):
            fields = {k: v for k, v in data.items() if k != "photos"}
            hazard, new = self._create(request, "hazards", {**fields, "inspection": inspection["id"]}, f"第{n}处隐患")
            answer["hazards"][str(data.get("client_id"))] = hazard["id"]
            created = created or new
            photos += [(p, {"hazard": hazard["id"]}) for p in data.get("photos") or []]
        for p, target in photos:
            cid = str(p.get("client_id"))
            upload = request.FILES.get(f"photo-{cid}")
            if upload is None:
                raise serializers.ValidationError({"照片": [NO_PHOTO.format(client_id=cid[:40])]})
            body, new = attach_photo(request, upload, parse_client_id(cid), target)
            if new:
                from brigade.supervision.models import Photo

                stored.append(Photo.objects.get(pk=body["id"]).image.name)
            answer["photos"][cid] = body["id"]
            created = created or new
        return answer, created

    def _create(self, request, path: str, data: dict, label: str) -> tuple[dict, bool]:
        """The record endpoint's own create (permissions, validation, service, client id) on one part."""
        if path not in self.viewsets:
            self.viewsets[path] = _viewset(path)
        view = self.viewsets[path]()
        part = copy.copy(request)
        part._full_data = data  # what request.data answers for this part
        view.request, view.args, view.kwargs, view.format_kwarg, view.action = part, (), {}, None, "create"
        view.headers = {}
        view.check_permissions(part)
        try:
            response = view.create(part)
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({label: exc.detail}) from exc
        return response.data, response.status_code == status.HTTP_201_CREATED


def _entry(text) -> dict:
    try:
        entry = json.loads(text or "")
    except (TypeError, ValueError):
        raise serializers.ValidationError({"entry": [BAD_ENTRY]}) from None
    ok = (isinstance(entry, dict) and isinstance(entry.get("inspection"), dict)
          and isinstance(entry.setdefault("hazards", []), list) and isinstance(entry.setdefault("photos", []), list)
          and all(isinstance(h, dict) and isinstance(h.get("photos") or [], list) for h in entry["hazards"])
          and all(isinstance(p, dict) for p in entry["photos"]))
    if not ok:
        raise serializers.ValidationError({"entry": [BAD_ENTRY]})
    return entry
