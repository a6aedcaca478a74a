"""Full-text search for the staff lists, with PostgreSQL's built-in text search (no contrib extension).

Every searchable model has one *search document*: a `tsvector` expression over its names and its contact
data, built with the `simple` configuration (lower case, no stemming: names are not
German words). The model declares a GIN index on exactly that expression, and the lists filter with
`document @@ to_tsquery(...)`, so PostgreSQL answers a search from the index instead of reading every row.

How a search behaves:

* The user's text is cut into words (letters and digits; everything else separates words). Every word
  must match (AND), in any order, as the *beginning* of a word in the document: "Mül" finds "Müller",
  "anna sch" finds "Anna Schmidt" and "Schmidt, Anna". A piece from inside a word ("ller") does not
  match: that is the price of an index. Case does not matter; umlauts and ß are kept as they are.
* E-mail addresses are indexed as their parts ("anna.schmidt@example.org" as anna, schmidt, example,
  org), so any beginning of the address, or of one of its parts, finds the person.
* Phone numbers are indexed as written (groups of digits) and as one run of digits. Text made only of
  digits and phone punctuation ("0511 123", "0511123", "+49 511 123") also matches the beginning of that
  run of digits, with +49/0049 and a leading 0 treated alike.
* Lists that search names only (tandems, training registration, a referrer's own referrals) search a
  second document of the names alone (with its own GIN index), so contact data cannot be probed there. (A
  query restricted to a weight of the full document would make PostgreSQL recompute the document of every
  candidate row: a GIN index does not keep weights.)

User text never reaches the tsquery syntax: only the extracted words are put into the query, each one as
`word:*`, and a word consists of letters and digits only.
"""

import re
import unicodedata
from collections.abc import Mapping, Sequence

from django.contrib.postgres.search import SearchQuery, SearchVector, SearchVectorExact
from django.db.models import Expression, F, Func, Q, QuerySet, TextField, Value

SEARCH_CONFIG = "simple"
MAX_WORDS = 8
MAX_WORD_LENGTH = 100
MIN_PHONE_DIGITS = 3

_WORD = re.compile(r"[^\W_]+")
_PHONE_LIKE = re.compile(r"[\d\s+/().\-]+")
_EMAIL_PUNCTUATION = "@.-_+"


def email_words(field: str) -> Func:
    """The e-mail address with its punctuation turned into spaces, so that each part is a word."""
    return Func(
        F(field),
        Value(_EMAIL_PUNCTUATION),
        Value(" " * len(_EMAIL_PUNCTUATION)),
        function="translate",
        output_field=TextField(),
    )


def phone_digits(field: str) -> Func:
    """The phone number as one run of digits ("0511 123-45" -> "051112345")."""
    return Func(
        F(field), Value("[^0-9]"), Value(""), Value("g"), function="regexp_replace", output_field=TextField()
    )


def search_document(*, names: Sequence[str], contact: Sequence[str | Expression] = ()) -> SearchVector:
    """The tsvector a model is searched by; the model's GIN index must be declared on this same expression.

    Only immutable functions are used (to_tsvector with an explicit configuration, COALESCE, ||, translate,
    regexp_replace), so PostgreSQL accepts the expression in an index. Without `contact` it is the names
    alone, for the lists that search names only.
    """
    return SearchVector(*names, *contact, config=SEARCH_CONFIG)


def search_words(text: str) -> list[str]:
    """The words of the user's text; at most MAX_WORDS of at most MAX_WORD_LENGTH characters.

    They keep their case: to_tsquery lower-cases them with the same rules as to_tsvector did the stored
    names (Python's rules differ for a few letters, e.g. "İ")."""
    text = unicodedata.normalize("NFC", text or "")
    return [word[:MAX_WORD_LENGTH] for word in _WORD.findall(text)[:MAX_WORDS]]


def phone_prefixes(text: str) -> list[str]:
    """Runs of digits to look for at the start of a stored phone number, when `text` looks like one."""
    text = (text or "").strip()
    if not _PHONE_LIKE.fullmatch(text):
        return []
    digits = re.sub(r"\D", "", text)[:MAX_WORD_LENGTH]
    if len(digits) < MIN_PHONE_DIGITS:
        return []
    if digits.startswith("0049"):
        national = digits[4:]
    elif digits.startswith("49"):
        national = digits[2:]
    elif digits.startswith("0") and not digits.startswith("00"):
        national = digits[1:]
    else:
        return [digits]
    variants = [digits, "0" + national, "49" + national, "0049" + national]
    return list(dict.fromkeys(variants))


def tsquery_text(text: str, *, names_only: bool = False) -> str:
    """The to_tsquery input for the user's text ("" when it holds no word): words as prefixes, ANDed.
    `names_only` (for a document of the names alone) leaves out the phone number variants."""
    words = " & ".join(f"{word}:*" for word in search_words(text))
    if not words or names_only:
        return words
    phones = [f"{digits}:*" for digits in phone_prefixes(text)]
    return " | ".join([f"({words})", *phones]) if phones else words


def search_match(document: SearchVector, text: str, *, names_only: bool = False) -> SearchVectorExact | None:
    """`document @@ to_tsquery(...)` for the user's text, or None when the text holds no word."""
    query = tsquery_text(text, names_only=names_only)
    if not query:
        return None
    return SearchVectorExact(document, SearchQuery(query, search_type="raw", config=SEARCH_CONFIG))


def search_queryset(
    queryset: QuerySet, document: SearchVector, text: str, *, names_only: bool = False
) -> QuerySet:
    """The rows of `queryset` matching the user's text. Blank text filters nothing; text without any word
    (only punctuation) matches nothing, as a substring search for it would have."""
    if not (text or "").strip():
        return queryset
    match = search_match(document, text, names_only=names_only)
    return queryset.filter(match) if match is not None else queryset.none()


def search_related_queryset(
    queryset: QuerySet, text: str, related: Mapping[str, tuple[QuerySet, SearchVector]]
) -> QuerySet:
    """The rows of `queryset` whose related people match the user's names, word by word: each word must
    begin a name of one of them (a tandem list finds "Schmidt Ahmadi" by its volunteer and its refugee).

    `related` maps a foreign key of `queryset` to the related model's rows and its search document; each
    word becomes `fk IN (rows matching the word)`, which PostgreSQL answers from the related GIN index."""
    if not (text or "").strip():
        return queryset
    words = search_words(text)
    if not words:
        return queryset.none()
    for word in words:
        condition = Q()
        for field, (rows, document) in related.items():
            match = search_match(document, word, names_only=True)
            condition |= Q(**{f"{field}__in": rows.filter(match).values("pk")})
        queryset = queryset.filter(condition)
    return queryset
