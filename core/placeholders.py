"""Placeholders in text a coordinator writes (a bulk message): `{{ vorname }}` becomes the first name.

The text is never handed to Django's template engine: written by a user, it could read any variable of the
context or run tags (`{% debug %}`). One regular expression replaces the known names, in one pass, so a
value that itself looks like a placeholder (a first name "{{ nachname }}") stays as it is.
"""

import re
from collections.abc import Mapping

# anything in double braces counts as a placeholder, so that `{{ user.password }}` is refused, not sent
PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")


def placeholders_unknown(text: str, known: set[str] | frozenset[str]) -> list[str]:
    """The placeholder names in `text` that are not in `known`, in order of appearance, each once."""
    found: list[str] = []
    for match in PLACEHOLDER.finditer(text):
        name = match.group(1).lower()
        if name not in known and name not in found:
            found.append(name)
    return found


def placeholders_fill(text: str, values: Mapping[str, str]) -> str:
    """`text` with each `{{ name }}` replaced by `values[name]` (names case-insensitive); unknown names
    are left as they are (the form refuses them before)."""

    def replace(match: re.Match) -> str:
        name = match.group(1).lower()
        return str(values[name]) if name in values else match.group(0)

    return PLACEHOLDER.sub(replace, text)
