from django.apps import apps
from django.core.checks import Error, Warning, register

OUR_APPS = {"core", "volunteers", "refugees", "tandems", "trainings", "reporting"}


@register()
def personal_fields_declared(app_configs, **kwargs):
    """Every model of ours says what personal data it holds: an entry in its app's privacy registry
    (`<app>/privacy.py`, which derives the model's `PERSONAL_FIELDS`), or `PERSONAL_FIELDS = ()` when
    it holds none."""
    from core.privacy import unmatched_extensions

    errors = declaration_errors([model for model in apps.get_models() if model._meta.app_label in OUR_APPS])
    for name in unmatched_extensions():
        errors.append(Error(f"an app extends the privacy {name}, which no app registers", id="core.E004"))
    return errors


def declaration_errors(models) -> list[Error]:
    from core.privacy import DerivedFields, entry_for

    errors = []
    for model in models:
        entry = entry_for(model)
        declared = getattr(model, "PERSONAL_FIELDS", None)
        if entry is None and declared is None:
            errors.append(
                Error(
                    f"{model._meta.label} has no privacy entry and declares no PERSONAL_FIELDS = ()",
                    hint="Register an entry in the app's privacy.py, or say PERSONAL_FIELDS = () if it holds "
                    "no personal data.",
                    obj=model,
                    id="core.E001",
                )
            )
            continue
        if entry is None and declared and not isinstance(declared, DerivedFields):
            errors.append(
                Error(
                    f"{model._meta.label} declares PERSONAL_FIELDS {tuple(declared)!r} but has no privacy entry",
                    hint="Declare personal fields once, in an entry of the app's privacy.py (core/privacy.py).",
                    obj=model,
                    id="core.E003",
                )
            )
            continue
        field_names = {f.name for f in model._meta.get_fields()}
        for name in entry.fields if entry else ():
            if name not in field_names:
                errors.append(
                    Error(
                        f"the privacy entry of {model._meta.label} names unknown field {name!r}",
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
