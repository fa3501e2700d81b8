from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from brigade.units.models import SocialUnit


@admin.register(SocialUnit)
class SocialUnitAdmin(SimpleHistoryAdmin):
    list_display = ["name", "credit_code", "site_category", "is_key_unit", "street", "community", "manager", "phone"]
    list_filter = ["site_category", "is_key_unit", "street"]
    search_fields = ["name", "credit_code", "address", "responsible_person", "manager"]
    autocomplete_fields = ["community"]
    list_select_related = ["street", "community__street"]
