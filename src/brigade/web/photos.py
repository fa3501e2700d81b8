"""Field photos on the web pages: shown on the inspection or hazard they belong to, added from a phone."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from brigade.core.access import get_visible, visible_record_type
from brigade.core.records import RECORD_TYPES, RecordType
from brigade.core.roles import access_for
from brigade.supervision.models import Photo

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def photos_of(rt: RecordType, obj) -> list[Photo]:
    """The photos of a record whose type takes them (an empty list for other records)."""
    return list(Photo.objects.filter(**{rt.photos: obj})) if rt.photos else []


@login_required
def photo_file(request, pk):
    """The image, for users who may see the record it belongs to."""
    photo = get_object_or_404(Photo, pk=pk)
    # The record it belongs to: the first record type taking photos that it names.
    rt = next((rt for rt in RECORD_TYPES.values() if rt.photos and getattr(photo, f"{rt.photos}_id")), None)
    if rt is None:
        raise Http404("照片不属于任何记录。")
    rt, access = visible_record_type(request, rt.slug)
    get_visible(rt, access, getattr(photo, f"{rt.photos}_id"))
    try:
        handle = photo.image.open("rb")
    except FileNotFoundError:
        raise Http404("照片文件已不在存储中。") from None
    response = FileResponse(handle, content_type=photo.content_type)
    response["Cache-Control"] = "private, max-age=86400"
    return response


@login_required
@require_POST
def photo_upload(request, slug, pk):
    """A photo added on the record's page (the phone shrinks it first: static/web/photo-form.js)."""
    from brigade.supervision.errors import WorkflowError
    from brigade.supervision.photos import photo_attach

    rt, access = visible_record_type(request, slug)
    if not rt.photos:
        raise Http404("这类记录没有现场照片。")
    obj = get_visible(rt, access, pk)
    if not access_for(request.user).can_edit(rt.editors):
        raise PermissionDenied(access.edit_refusal(rt.title) if access.is_read_only else f"您的角色无权为{rt.title}上传照片。")
    try:
        photo_attach(upload=request.FILES.get("image"), by=request.user, **{rt.photos: obj})
    except WorkflowError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已添加现场照片。")
    return redirect("web:record-detail", slug, pk)


@login_required
def hazard_case_file(request, pk):
    """The hazard's case summary in Word, photos included (where the record prints)."""
    from urllib.parse import quote

    from django.http import HttpResponse

    from brigade.supervision.casefile import hazard_case_docx

    rt, access = visible_record_type(request, "hazards")
    hazard = get_visible(rt, access, pk)
    response = HttpResponse(hazard_case_docx(hazard), content_type=DOCX)
    name = f"火灾隐患案卷摘要_{hazard.unit.name}_{hazard.found_on}.docx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
