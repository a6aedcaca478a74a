"""URLs of a name reversed once per process, then filled in (issue #21).

`reverse` walks the URL patterns on every call (about 40 µs): a list page reversed its rows' detail links
and the navigation's links on every request. `reverse_cached(name, *args)` reverses `name` once with
marker arguments (numbers no real key has) and fills the real ones into that pattern. Only for patterns
whose arguments are integers (`<int:pk>`) or none; the script prefix and the URLconf are part of the key,
so a prefix set by the server or a test's URLconf gets its own pattern.
"""

from functools import lru_cache

from django.urls import get_script_prefix, get_urlconf, reverse

_MARKS = ("9876543210987", "9876543210986", "9876543210985")


@lru_cache(maxsize=512)
def _pattern(name: str, count: int, prefix: str, urlconf: str | None) -> str:
    return reverse(name, args=[int(mark) for mark in _MARKS[:count]], urlconf=urlconf)


def reverse_cached(name: str, *args: int) -> str:
    """`reverse(name, args=args)` for integer arguments (at most three), from a pattern kept per process."""
    urlconf = get_urlconf()
    pattern = _pattern(name, len(args), get_script_prefix(), urlconf if isinstance(urlconf, str) else None)
    for mark, value in zip(_MARKS, args, strict=False):
        pattern = pattern.replace(mark, str(int(value)))
    return pattern
