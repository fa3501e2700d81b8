"""What every page's layout needs: the user's role, the page links and the record menu."""

from django.urls import reverse

from brigade.core.roles import ADMIN, COMMAND, DETACHMENT, LEADER, LIAISON, SUPERVISION, TRAINING, access_for
from brigade.web.generic import navigation

# Top-level pages by role (record lists come from the record menu).
ROLE_PAGES = {
    ADMIN: ("dashboard", "worklist", "field", "map", "risk", "reports", "compare", "import"),
    LEADER: ("dashboard", "worklist", "map", "risk", "reports"),
    SUPERVISION: ("field", "worklist", "dashboard", "map", "risk", "import"),
    COMMAND: ("dashboard", "map", "import"),
    TRAINING: ("dashboard", "import"),
    LIAISON: ("dashboard", "worklist", "map"),
    DETACHMENT: ("dashboard", "worklist", "map", "risk", "reports", "compare"),
}
PAGE_TITLES = {"field": "今日任务", "worklist": "待办事项", "dashboard": "统计看板", "map": "辖区地图", "reports": "工作总结",
               "import": "Excel 导入", "risk": "风险分级与双随机", "compare": "大队对比"}


def web(request):
    if not hasattr(request, "user") or not request.user.is_authenticated:
        return {}
    access = access_for(request.user)
    pages = [(key, PAGE_TITLES[key], reverse(f"web:{key}")) for key in ROLE_PAGES.get(access.role, ())]
    return {"access": access, "top_pages": pages, "record_menu": navigation(access)}
