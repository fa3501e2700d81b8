"""Field photos (现场照片): one service that checks and stores a photo of an inspection or a hazard.

The web page, the API and the phone's offline queue all come here. A photo must be a real JPEG,
PNG or WebP image (Pillow reads it) no larger than ``BRIGADE_PHOTO_MAX_BYTES``; it is stored with
Django's file storage under MEDIA_ROOT. A resend with the same ``client_id`` returns the photo
already stored instead of a second copy.
"""

import uuid

from django.conf import settings
from django.db import IntegrityError, transaction

from brigade.supervision.errors import WorkflowError
from brigade.supervision.models import Hazard, Inspection, Photo

FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}

NO_TARGET = "请指明照片属于哪条检查记录或哪条隐患（二选一）。"
TOO_BIG = "照片“{name}”有 {size:.1f} MB，超过 {limit:.0f} MB 的上限。"
NOT_IMAGE = "文件“{name}”不是可识别的图片：只接受 JPEG、PNG 或 WebP 格式的照片。"
EMPTY = "没有收到照片文件。"


def _megabytes(n: int) -> float:
    return n / (1024 * 1024)


def photo_check(upload) -> tuple[str, int, int]:
    """The content type, width and height of an acceptable photo; a Chinese WorkflowError otherwise."""
    from PIL import Image

    if upload is None or not upload.size:
        raise WorkflowError(EMPTY, field="image")
    name = getattr(upload, "name", "") or "照片"
    limit = settings.BRIGADE_PHOTO_MAX_BYTES
    if upload.size > limit:
        raise WorkflowError(TOO_BIG.format(name=name, size=_megabytes(upload.size), limit=_megabytes(limit)),
                            field="image")
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            kind = probe.format
            probe.verify()  # reads the whole file: a truncated or forged image fails here
        upload.seek(0)
        with Image.open(upload) as image:
            width, height = image.size
    except Exception as exc:  # Pillow raises many kinds (UnidentifiedImageError, SyntaxError, OSError, bombs)
        raise WorkflowError(NOT_IMAGE.format(name=name), field="image") from exc
    if kind not in FORMATS:
        raise WorkflowError(NOT_IMAGE.format(name=name), field="image")
    upload.seek(0)
    return FORMATS[kind], width, height


def photo_attach(*, upload, inspection: Inspection | None = None, hazard: Hazard | None = None,
                 client_id: uuid.UUID | None = None, by=None) -> tuple[Photo, bool]:
    """Store a photo for an inspection or a hazard; returns (photo, created)."""
    if (inspection is None) == (hazard is None):
        raise WorkflowError(NO_TARGET, field="inspection")
    if client_id is not None:
        existing = Photo.objects.filter(client_id=client_id).first()
        if existing is not None:
            return existing, False
    content_type, width, height = photo_check(upload)
    photo = Photo(inspection=inspection, hazard=hazard, content_type=content_type, size=upload.size, width=width,
                  height=height, client_id=client_id or uuid.uuid4(), taken_by=by)
    try:
        with transaction.atomic():
            photo.image.save(photo_path_name(photo), upload, save=False)
            photo.save()
    except IntegrityError:  # the same photo sent twice at once: the other request stored it
        photo.image.delete(save=False)
        return Photo.objects.get(client_id=client_id), False
    return photo, True


def photo_path_name(photo: Photo) -> str:
    return f"{photo.client_id}.{photo.extension}"
