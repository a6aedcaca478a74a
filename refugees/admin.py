from django.contrib import admin

from core.admin import ReferenceDataAdmin
from refugees.models import ResidenceStatus

# Referrals themselves are worked on in the staff views (scoped, audited); the admin keeps the list of
# residence statuses only.
admin.site.register(ResidenceStatus, ReferenceDataAdmin)
