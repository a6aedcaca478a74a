from django.contrib.auth.backends import ModelBackend

from core.permissions import has_perm


class RoleBackend(ModelBackend):
    """Password login as usual; Django's model permissions (used only by the admin) follow the admin role."""

    def get_all_permissions(self, user_obj, obj=None):
        return set()

    def has_perm(self, user_obj, perm, obj=None):
        return user_obj.is_active and has_perm(user=user_obj, perm="core.admin")

    def has_module_perms(self, user_obj, app_label):
        return user_obj.is_active and has_perm(user=user_obj, perm="core.admin")
