"""A hazard's case summary (火灾隐患案卷摘要) as Word: what was found, each step taken, and its photos.

The text is a reports ``Document`` written by the GB/T 9704 writer; the site photos follow under
their own heading, each with a caption (who uploaded it, when), so the printed file is the evidence.
"""

import io

from django.utils import timezone

from brigade.reports.document import Block, Document
from brigade.supervision.models import Hazard

PHOTO_WIDTH_MM = 120  # fits the 156 mm text block with room for the caption's indent


def _day(value) -> str:
    return value.isoformat() if value else "—"


def hazard_case_document(hazard: Hazard) -> Document:
    unit = hazard.unit
    doc = Document(title="火灾隐患案卷摘要")
    doc.sensitive_names.add(unit.name)
    add = doc.blocks.append
    add(Block("heading1", "一、基本情况"))
    add(Block("paragraph", f"单位：{unit.name}（{unit.get_site_category_display()}，{unit.street.name}"
                           f"{'，' + unit.address if unit.address else ''}）。"))
    add(Block("paragraph", f"隐患：{hazard.get_category_display()}{'（重大火灾隐患）' if hazard.is_major else ''}"
                           f"{'，' + hazard.description if hazard.description else ''}。"))
    add(Block("paragraph", f"检查日期{_day(hazard.inspection.inspected_on)}，发现日期{_day(hazard.found_on)}，"
                           f"整改期限{_day(hazard.deadline)}，当前状态：{hazard.get_status_display()}。"))
    add(Block("heading1", "二、办理经过"))
    events = list(hazard.events.select_related("by").order_by("at", "pk"))
    for i, e in enumerate(events, 1):
        who = (e.by.get_full_name() or e.by.get_username()) if e.by else "系统"
        note = f"，{e.note}" if e.note else ""
        add(Block("paragraph", f"{i}.{e.on.isoformat()}{e.get_kind_display()}。状态：{e.get_to_status_display()}"
                               f"{note}（登记人：{who}）"))
    if not events:
        add(Block("paragraph", "尚无办理记录。"))
    photos = list(hazard.photos.select_related("taken_by"))
    add(Block("heading1", "三、现场照片"))
    add(Block("paragraph", f"共{len(photos)}张，附后。" if photos else "无现场照片。"))
    return doc


def hazard_case_docx(hazard: Hazard) -> bytes:
    """The case summary as .docx bytes, with every photo of the hazard embedded after the text."""
    from docx.shared import Mm
    from PIL import Image

    from brigade.reports.docx_writer import STYLE_BODY, build_docx

    word = build_docx(hazard_case_document(hazard))
    for i, photo in enumerate(hazard.photos.select_related("taken_by"), 1):
        with photo.image.open("rb") as handle, Image.open(handle) as image:
            jpeg = io.BytesIO()
            image.convert("RGB").save(jpeg, format="JPEG", quality=85)  # Word takes JPEG; WebP it does not
        jpeg.seek(0)
        word.add_picture(jpeg, width=Mm(PHOTO_WIDTH_MM))
        who = photo.taken_by.get_username() if photo.taken_by else "—"
        word.add_paragraph(f"照片{i}：{timezone.localtime(photo.created_at):%Y-%m-%d %H:%M} 上传，上传人 {who}",
                           style=STYLE_BODY)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()
