from tests.permissions import LOGIN, Row, expect

ROWS = [
    Row(
        "healthz",
        expect(
            anonymous=200, coordinator=200, partner=200, referrer=200, steering=200, evaluator=200, admin=200
        ),
    ),
    Row(
        "core:home",
        expect(
            anonymous=LOGIN,
            coordinator=200,
            partner=200,
            referrer=200,
            steering=200,
            evaluator=200,
            admin=302,
        ),
        note="admins land in the admin",
    ),
    Row(
        "login",
        expect(
            anonymous=200, coordinator=200, partner=200, referrer=200, steering=200, evaluator=200, admin=200
        ),
    ),
    Row(
        "logout",
        expect(
            anonymous=302, coordinator=302, partner=302, referrer=302, steering=302, evaluator=302, admin=302
        ),
        method="post",
    ),
    Row(
        "password_change",
        expect(
            anonymous=LOGIN,
            coordinator=200,
            partner=200,
            referrer=200,
            steering=200,
            evaluator=200,
            admin=200,
        ),
    ),
    Row(
        "password_change_done",
        expect(
            anonymous=LOGIN,
            coordinator=200,
            partner=200,
            referrer=200,
            steering=200,
            evaluator=200,
            admin=200,
        ),
    ),
    Row(
        "password_reset",
        expect(
            anonymous=200, coordinator=200, partner=200, referrer=200, steering=200, evaluator=200, admin=200
        ),
    ),
    Row(
        "password_reset_done",
        expect(
            anonymous=200, coordinator=200, partner=200, referrer=200, steering=200, evaluator=200, admin=200
        ),
    ),
    Row(
        "password_reset_confirm",
        expect(
            anonymous=200, coordinator=200, partner=200, referrer=200, steering=200, evaluator=200, admin=200
        ),
        kwargs=lambda w: {"uidb64": "MQ", "token": "invalid-token"},
        note="an invalid link says so",
    ),
    Row(
        "password_reset_complete",
        expect(
            anonymous=200, coordinator=200, partner=200, referrer=200, steering=200, evaluator=200, admin=200
        ),
    ),
    Row(
        "set_language",
        expect(
            anonymous=302, coordinator=302, partner=302, referrer=302, steering=302, evaluator=302, admin=302
        ),
        method="post",
        data=lambda w: {"language": "en"},
    ),
    Row(
        "admin:index",
        expect(
            anonymous=LOGIN,
            coordinator=403,
            partner=403,
            referrer=403,
            steering=403,
            evaluator=403,
            admin=200,
        ),
        note="the admin stands for all admin pages",
    ),
]
