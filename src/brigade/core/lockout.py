"""What a user sees after too many failed logins (django-axes calls this)."""

from django.conf import settings
from django.http import HttpResponse
from django.utils.html import escape


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = (f"登录失败次数过多（连续 {settings.AXES_FAILURE_LIMIT} 次），该账号已暂时锁定，"
               f"请 {minutes} 分钟后再试，或联系系统管理员解锁。")
    html = (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>账号已锁定</title></head>'
            f"<body><h1>账号已锁定</h1><p>{escape(message)}</p></body></html>")
    return HttpResponse(html, status=429)
