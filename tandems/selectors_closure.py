"""Reads of the structured closure (issue #20)."""

from tandems.models import Tandem, TandemClosure


def closure_of(tandem: Tandem) -> dict:
    """The closure record (or None) and the exit conversations of one tandem, for its page."""
    closure = TandemClosure.objects.filter(tandem=tandem).prefetch_related("outcomes").first()
    return {
        "closure": closure,
        "outcomes": [str(o) for o in closure.outcomes.all()] if closure else [],
        "conversations": list(tandem.exit_conversations.select_related("recorded_by")),
    }
