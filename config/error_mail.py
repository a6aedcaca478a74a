"""The admins' error e-mail (`AdminEmailHandler(reporter_class=...)` in LOGGING) without personal data:
form and query values, cookies, the client's address and the locals named like personal fields are
replaced (the names stay, so the report still says where it happened)."""

from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

from config.errors import FILTERED, personal_field_names, query_keys_only, scrub_value


class PersonalDataFilter(SafeExceptionReporterFilter):
    """Django's filter for the admins' e-mail: all form values, and the locals named like personal fields."""

    def get_post_parameters(self, request):
        if request is None:
            return {}
        cleansed = request.POST.copy()
        for key in cleansed:
            cleansed[key] = self.cleansed_substitute
        return cleansed

    def get_traceback_frame_variables(self, request, tb_frame):
        names = personal_field_names()
        return [
            (name, self.cleansed_substitute if name in names else scrub_value(value))
            for name, value in super().get_traceback_frame_variables(request, tb_frame)
        ]

    def get_safe_request_meta(self, request):
        meta = super().get_safe_request_meta(request)
        for key in _DROPPED_META:
            if key in meta:
                meta[key] = self.cleansed_substitute
        return meta


_DROPPED_META = ("QUERY_STRING", "REMOTE_ADDR", "HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP", "HTTP_REFERER")


class PersonalDataReporter(ExceptionReporter):
    """The admins' e-mail report (`AdminEmailHandler(reporter_class=...)`): the query values go too."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filter = PersonalDataFilter()

    def get_traceback_data(self):
        data = super().get_traceback_data()
        # PostgreSQL's constraint errors name the offending values: "Key (email_key)=(a@b.de) already exists."
        if data.get("exception_value"):
            data["exception_value"] = scrub_value(str(data["exception_value"]))
        for frame in data.get("frames", []):
            if frame.get("exc_cause") is not None:
                frame["exc_cause"] = scrub_value(str(frame["exc_cause"]))
        if self.request is not None:
            data["request_GET_items"] = [(key, FILTERED) for key in self.request.GET]
            query = self.request.META.get("QUERY_STRING", "")
            data["request_insecure_uri"] = self.request.path + (f"?{query_keys_only(query)}" if query else "")
        return data
