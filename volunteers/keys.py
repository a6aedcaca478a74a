"""Normalised keys for finding the same person twice (registered by two partners, or signed up again).

The services store these keys on every write, so that duplicate checks are index look-ups.
"""

import re
import unicodedata

_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ı": "i"})


def email_key(email: str) -> str:
    return (email or "").strip().lower()


def phone_key(phone: str) -> str:
    """Digits only, with the German country code written as a leading 0: +49 511 … and 0511 … match."""
    text = (phone or "").strip().replace("(0)", "")
    digits = re.sub(r"\D", "", text)
    if text.startswith("+49"):
        return "0" + digits[2:]
    if digits.startswith("0049"):
        return "0" + digits[4:]
    return digits


def name_key(first_name: str, last_name: str) -> str:
    """Lower case, umlauts folded (Müller = Mueller), other accents dropped, whitespace collapsed."""
    text = f"{first_name or ''} {last_name or ''}".lower().translate(_FOLD)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(text.split())
