"""The installable app: web app manifest, icons and the service worker, all from Brigade's own origin.

The service worker lives at ``/sw.js`` (not under /static/) so that its scope is the whole site;
it precaches the 今日任务 page and the files it needs, and nothing else (see static/web/sw.js).
"""

import hashlib
import io
import json
from functools import cache
from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

ICON_SIZES = (192, 512)
# What 今日任务 needs while offline, besides its own page (static paths).
FIELD_ASSETS = ("web/brigade.css", "web/site.js", "web/photo.js", "web/fieldstore.js", "web/field.js",
                "web/favicon.svg")


@require_GET
@cache_control(max_age=3600)
def manifest(request):
    data = {
        "name": "消防救援大队业务管理与分析系统",
        "short_name": "消防大队",
        "description": "防火监督员现场检查：今日任务、离线登记检查和隐患、现场照片。",
        "lang": "zh-CN",
        "start_url": reverse("web:field"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#f4f6f8",
        "theme_color": "#b3261e",
        "icons": [{"src": reverse("web:icon", args=[size]), "sizes": f"{size}x{size}", "type": "image/png",
                   "purpose": "any maskable"} for size in ICON_SIZES],
    }
    return HttpResponse(json.dumps(data, ensure_ascii=False), content_type="application/manifest+json")


@cache
def icon_png(size: int) -> bytes:
    """Our icon drawn here (a white flame on the brigade's red), so no image file is shipped."""
    from PIL import Image, ImageDraw

    scale = size / 100
    image = Image.new("RGB", (size, size), (179, 38, 30))
    draw = ImageDraw.Draw(image)
    flame = [(50, 14), (62, 34), (70, 50), (72, 64), (66, 78), (50, 86), (34, 78), (28, 64), (32, 48), (42, 58),
             (44, 40)]
    draw.polygon([(x * scale, y * scale) for x, y in flame], fill=(255, 255, 255))
    inner = [(50, 52), (58, 64), (57, 75), (50, 80), (43, 75), (42, 65)]
    draw.polygon([(x * scale, y * scale) for x, y in inner], fill=(240, 160, 40))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


@require_GET
@cache_control(max_age=86400)
def icon(request, size: int):
    if size not in ICON_SIZES:
        raise Http404("没有这个尺寸的图标。")
    return HttpResponse(icon_png(size), content_type="image/png")


def precache_urls() -> list[str]:
    return [reverse("web:field"), reverse("web:manifest"), *(reverse("web:icon", args=[s]) for s in ICON_SIZES),
            *(static(path) for path in FIELD_ASSETS)]


@cache
def _worker_source() -> str:
    return Path(finders.find("web/sw.js")).read_text(encoding="utf-8")


def _version(urls: list[str]) -> str:
    """Changes whenever the worker or a precached static file changes, so phones pick up new code."""
    digest = hashlib.sha1(_worker_source().encode())
    for path in FIELD_ASSETS:
        found = finders.find(path)
        digest.update(Path(found).read_bytes() if found else path.encode())
    digest.update("|".join(urls).encode())
    return digest.hexdigest()[:12]


@require_GET
def service_worker(request):
    urls = precache_urls()
    head = f"const PRECACHE = {json.dumps(urls)};\nconst VERSION = {json.dumps(_version(urls))};\n"
    response = HttpResponse(head + _worker_source(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response
