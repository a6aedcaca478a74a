from django.utils.translation import gettext_lazy as _

from core.permissions import has_perm, memberships
from core.reversing import reverse_cached

# (url name, label, permission): the main navigation, shown item by item as the role allows
NAVIGATION = [
    ("core:home", _("Overview"), None),
    ("volunteers:volunteer_list", _("Volunteers"), "volunteers.view"),
    ("refugees:refugee_list", _("Refugees"), "refugees.view"),
    ("refugees:refugee_waiting_list", _("Waiting list"), "refugees.view"),
    ("tandems:tandem_list", _("Tandems"), "tandems.view"),
    ("tandems:caseload", _("Caseload"), "tandems.view"),
    ("tandems:tandem_batch", _("Batch matching"), "tandems.change"),
    ("trainings:session_list", _("Trainings"), "trainings.view"),
    ("refugees:refugee_create", _("Refer a person"), "refugees.refer"),
    ("refugees:referral_list", _("My referrals"), "refugees.view_own"),
    ("reporting:dashboard", _("Dashboard"), "reporting.view"),
    ("reporting:grant_report_list", _("Grant report"), "reporting.grant"),
    ("reporting:evaluation_export", _("Evaluation export"), "reporting.export_pseudonymised"),
    ("admin:index", _("Administration"), "core.admin"),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    found = memberships(user)
    items = [
        {"url": url, "label": label, "active": request.path == url}
        for name, label, perm in NAVIGATION
        if perm is None or has_perm(user=user, perm=perm)
        for url in [reverse_cached(name)]
    ]
    return {"nav_items": items, "current_membership": found[0] if found else None}
