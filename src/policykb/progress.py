"""Where a measure stands: its condition evaluated from the bills' recorded stages, and its status
on any date. Computed from the loaded model, never stored; writes nothing.

- **A condition** (`condition: {any|all: [{bill, stage}]}`) waits for bills to reach a stage. One
  bill's wait is `met` by an event of that stage or of one that implies it (`implies` in
  `schema/stages.yaml`: a bill published has passed the Senate), `failed` by an event of a failing
  stage (`fails: true`: rejected, withdrawn) before it was met, and `pending` otherwise. `any` is met when one
  wait is met and failed when all failed; `all` is met when all are met and failed when one
  failed. The event that decided it is kept, with its date and source, so the state can be shown
  and cited; a state resting on an unverified event says so.
- **As of a date**, only the events and assessments dated on or before it count: the state of
  each measure on 1 March 2026 is what the sources said by then.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from policykb.model import Condition, Event, KbRecord, Measure, StatusAssessment, WaitsFor
from policykb.vocab import Vocabulary

State = Literal["pending", "met", "failed"]

CONDITION_STATES: dict[State, tuple[str, str]] = {
    "pending": ("nog niet vervuld", "pending"),
    "met": ("vervuld", "met"),
    "failed": ("niet meer te vervullen", "failed"),
}
"""Each state's label in Dutch and English (the RDF concept scheme `condition-state`, the site)."""
NOT_ASSESSED = "nog niet beoordeeld"
"""A measure without any assessment, wherever it is shown."""
STATE_NL: dict[State, str] = {state: labels[0] for state, labels in CONDITION_STATES.items()}


@dataclass(frozen=True)
class Wait:
    """One bill's part of a condition, evaluated."""

    bill: str
    stage: str
    state: State
    event: Event | None = None
    """The event that met or failed it; None while pending."""


@dataclass(frozen=True)
class Evaluation:
    """A condition evaluated on a date."""

    state: State
    waits: tuple[Wait, ...]
    decided_by: Wait | None = None
    """The wait whose event decided the state (the earliest that did); None while pending."""

    @property
    def unverified(self) -> bool:
        return (
            self.decided_by is not None
            and self.decided_by.event is not None
            and (self.decided_by.event.status == "unverified")
        )


def evaluate(
    condition: Condition, kb: dict[str, KbRecord], vocabulary: Vocabulary, as_of: dt.date | None = None
) -> Evaluation:
    """The condition's state from the recorded events of its bills (dated on or before `as_of`)."""
    waits = tuple(_wait(item, kb, vocabulary, as_of) for item in condition.waits_for())
    met = [wait for wait in waits if wait.state == "met"]
    failed = [wait for wait in waits if wait.state == "failed"]
    if condition.any is not None:
        if met:
            return Evaluation("met", waits, _earliest(met))
        if failed and len(failed) == len(waits):
            return Evaluation("failed", waits, _latest(failed))
    else:
        if failed:
            return Evaluation("failed", waits, _earliest(failed))
        if met and len(met) == len(waits):
            return Evaluation("met", waits, _latest(met))
    return Evaluation("pending", waits)


def _wait(item: WaitsFor, kb: dict[str, KbRecord], vocabulary: Vocabulary, as_of: dt.date | None) -> Wait:
    record = kb.get(item.bill)
    if record is None:
        return Wait(item.bill, item.stage, "pending")
    events = sorted(
        (event for event in record.events if as_of is None or event.date <= as_of), key=lambda event: event.date
    )
    for event in events:
        if event.stage == item.stage or item.stage in vocabulary.implied(event.stage):
            return Wait(item.bill, item.stage, "met", event)
        if vocabulary.stages[event.stage].fails:
            return Wait(item.bill, item.stage, "failed", event)
    return Wait(item.bill, item.stage, "pending")


def _earliest(waits: list[Wait]) -> Wait:
    return min(waits, key=lambda wait: wait.event.date if wait.event else dt.date.max)


def _latest(waits: list[Wait]) -> Wait:
    return max(waits, key=lambda wait: wait.event.date if wait.event else dt.date.min)


def assessment_on(measure: Measure, as_of: dt.date | None = None) -> StatusAssessment | None:
    """The measure's assessment in force on `as_of` (the latest dated on or before it)."""
    dated = [assessment for assessment in measure.status if as_of is None or assessment.date <= as_of]
    return max(dated, key=lambda assessment: assessment.date) if dated else None


CONTRADICTIONS: dict[State, frozenset[str]] = {
    "pending": frozenset({"done", "partially-done", "condition-not-met"}),
    "met": frozenset({"condition-not-met"}),
    "failed": frozenset({"done", "partially-done", "in-progress"}),
}
"""Statuses a condition's state rules out: nothing is carried out before its condition is met,
a condition that was met is not 'not met', and a failed one leaves nothing to carry out."""


def since(measure: Measure) -> dt.date | None:
    """The day the current status began: the first of the latest assessments with that status."""
    if not measure.status:
        return None
    current, day = measure.status[-1].value, measure.status[-1].date
    for assessment in reversed(measure.status):
        if assessment.value != current:
            break
        day = assessment.date
    return day
