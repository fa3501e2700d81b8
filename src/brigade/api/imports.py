"""POST /api/imports/preview/: the dry run of a ledger file, errors grouped by cause, values suggested.

Nothing is written: the answer is ``ImportReport.as_dict()`` (summary, problems with counts and
sample rows, unmatched values with their suggestions, what a mapping translated, what would be
created). The web page and the CLI do the import itself, after the user's decisions.
"""

import tempfile
from pathlib import Path

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from brigade.core.access import brigade_filter
from brigade.core.errors import UserError
from brigade.core.roles import access_for

KEEP = ("ledger", "title", "filename", "rows", "created", "existing", "ok", "summary", "warnings", "problems",
        "unmatched", "mapped", "to_create", "source")


class ImportPreviewView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request={"multipart/form-data": {"type": "object", "properties": {
        "ledger": {"type": "string"}, "source": {"type": "string"}, "file": {"type": "string", "format": "binary"}}}},
        responses={200: OpenApiTypes.OBJECT}, summary="台账导入预检（错误按原因归并、值对照建议）", tags=["导入"])
    def post(self, request):
        from brigade.io.importer import import_file
        from brigade.io.ledgers import importable_ledgers
        from brigade.io.workbook import check_size

        name, upload = request.data.get("ledger", ""), request.FILES.get("file")
        if not name or upload is None:
            raise serializers.ValidationError({"detail": ["请提供 ledger（台账代码）和 file（.xlsx 或 .csv 文件）。"]})
        access = access_for(request.user)
        ledger = next((lg for lg in importable_ledgers(access) if lg.name == name), None)
        if ledger is None:
            raise PermissionDenied(access.edit_refusal("台账") if access.is_read_only
                                   else f"您的角色无权导入台账“{name}”，或台账不存在。")
        try:
            check_size(upload.size, upload.name)
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / f"upload{Path(upload.name).suffix.lower()}"
                with path.open("wb") as fh:
                    for chunk in upload.chunks():
                        fh.write(chunk)
                report = import_file(path, ledger=ledger, dry_run=True, filename=upload.name,
                                     origin=str(request.data.get("source", ""))[:80],
                                     brigade=brigade_filter(access))
        except UserError as exc:
            raise serializers.ValidationError({"detail": [str(exc)]}) from exc
        data = report.as_dict()
        return Response({k: data[k] for k in KEEP})
