from django.apps import apps
from django.core.checks import Error, Warning, register

OUR_APPS = {"core", "volunteers", "refugees", "tandems", "trainings", "reporting"}


@register()
def personal_fields_declared(app_configs, **kwargs):
    """Every model of ours says which of its fields are personal data (`()` when none)."""
    errors = []
    for model in apps.get_models():
        if model._meta.app_label not in OUR_APPS:
            continue
        declared = getattr(model, "PERSONAL_FIELDS", None)
        if declared is None:
            errors.append(
                Error(f"{model._meta.label} declares no PERSONAL_FIELDS", obj=model, id="core.E001")
            )
            continue
        field_names = {f.name for f in model._meta.get_fields()}
        for name in declared:
            if name not in field_names:
                errors.append(
                    Error(
                        f"{model._meta.label}.PERSONAL_FIELDS names unknown field {name!r}",
                        obj=model,
                        id="core.E002",
                    )
                )
    return errors


@register(deploy=True)
def errors_reach_someone(app_configs, **kwargs):
    """In production a server error must reach a person: ADMINS get an e-mail, or Sentry gets the event."""
    from django.conf import settings

    if settings.DEBUG or settings.ADMINS or getattr(settings, "SENTRY_DSN", ""):
        return []
    return [
        Warning(
            "Neither ADMINS nor SENTRY_DSN is set: server errors reach nobody",
            hint="Set ADMINS='Name <address>, ...' (the admins get an e-mail per error) or SENTRY_DSN.",
            id="core.W001",
        )
    ]
