import pytest
from axes.helpers import get_client_ip_address
from django.test import RequestFactory

from core.middleware import client_address


def _request(forwarded: str | None = None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", **extra)


def test_without_proxies_only_the_connection_counts(settings):
    settings.PROXIES_IN_FRONT = 0
    assert client_address(_request("203.0.113.5")) == "10.0.0.1"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (1, "198.51.100.7", "198.51.100.7"),
        (1, "192.0.2.1, 198.51.100.7", "198.51.100.7"),  # the client's own entry is passed over
        (2, "192.0.2.1, 198.51.100.7, 10.0.0.9", "198.51.100.7"),  # load balancer, then nginx
        (2, "198.51.100.7", "10.0.0.1"),  # fewer entries than proxies: not trusted
        (1, "unknown", "10.0.0.1"),
        (1, "", "10.0.0.1"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_behind_proxies_the_outermost_proxys_entry_counts(settings, proxies, forwarded, expected):
    settings.PROXIES_IN_FRONT = proxies
    assert client_address(_request(forwarded)) == expected


def test_the_login_lockout_counts_the_same_address(settings):
    settings.PROXIES_IN_FRONT = 1
    assert get_client_ip_address(_request("192.0.2.1, 198.51.100.7")) == "198.51.100.7"
