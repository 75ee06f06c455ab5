"""What a call guide's question can ask for, and where its answer goes.

Each answer kind builds the field the rep fills in on the call screen (the same field checks
an answer sent through the API) and, for the kinds that write back, writes the answer through
the owning app's service — validated, audited, with its events — when the call is saved.
Other apps add their kinds (leads: "a lead with the need") with ``register_answer_kind``.
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from innendienst.accounts.access import can_edit_master_data
from innendienst.accounts.models import User
from innendienst.contacts.models import BuyingCenterRole, Person
from innendienst.contacts.selectors import people_for, roles_of
from innendienst.contacts.services import buying_center_set_roles, company_update, person_update
from innendienst.core.forms import DateInput


@dataclass(frozen=True)
class Answered:
    """The call a question was answered in: who called whom, in which campaign."""

    actor: User
    person: Person
    campaign_name: str


def shown(value: Any) -> str:
    """An answer as it reads in the call's notes."""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.date | decimal.Decimal):
        return formats.localize(value)
    if isinstance(value, Person):
        return value.full_name
    return str(value)


@dataclass(frozen=True)
class AnswerKind:
    code: str
    label: str | Promise
    field: Callable[[User, Person], forms.Field]
    # None: the answer stays in the call's notes only.
    write: Callable[[Answered, Any], None] | None = None
    show: Callable[[Any], str] = shown
    # Who may write the answer back; for others it stays in the call's notes.
    writable_by: Callable[[User], bool] = can_edit_master_data

    def writes_for(self, user: User) -> bool:
        return self.write is not None and self.writable_by(user)


_kinds: dict[str, AnswerKind] = {}


def register_answer_kind(kind: AnswerKind) -> None:
    if kind.code in _kinds:
        raise ImproperlyConfigured(f"Answer kind {kind.code!r} is registered twice.")
    _kinds[kind.code] = kind


def answer_kind(code: str) -> AnswerKind | None:
    return _kinds.get(code)


def answer_kind_choices() -> list[tuple[str, str]]:
    return [(kind.code, str(kind.label)) for kind in _kinds.values()]


def _text(_actor: User, _person: Person) -> forms.Field:
    return forms.CharField(max_length=1000, widget=forms.TextInput)


def _short_text(_actor: User, _person: Person) -> forms.Field:
    """As long as the contact's and the company's short text fields."""
    return forms.CharField(max_length=200, widget=forms.TextInput)


class YesNoField(forms.NullBooleanField):
    """Yes, no or not asked: "true"/"false" from the page, true/false from the API; anything
    else is refused instead of read as "not asked"."""

    widget = forms.NullBooleanSelect

    def to_python(self, value: Any) -> bool | None:
        if value in (True, "True", "true", "1"):
            return True
        if value in (False, "False", "false", "0"):
            return False
        if value in (None, "", "unknown"):
            return None
        raise ValidationError(_("Please answer yes or no."), code="invalid")

    def validate(self, value: Any) -> None:
        pass


def _yes_no(_actor: User, _person: Person) -> forms.Field:
    return YesNoField()


def _number(_actor: User, _person: Person) -> forms.Field:
    return forms.DecimalField(max_digits=14, decimal_places=2, localize=True)


def _date(_actor: User, _person: Person) -> forms.Field:
    return forms.DateField(widget=DateInput)


def _role(_actor: User, _person: Person) -> forms.Field:
    return forms.ChoiceField(choices=[("", "–"), *BuyingCenterRole.choices])


def _colleague(actor: User, person: Person) -> forms.Field:
    """A contact of the same company whom the caller sees."""
    return forms.ModelChoiceField(
        queryset=people_for(actor)
        .filter(company_id=person.company_id)
        .order_by("last_name", "first_name"),
        empty_label="–",
    )


def _write_best_time(answered: Answered, value: str) -> None:
    person_update(actor=answered.actor, person=answered.person, data={"best_time_to_reach": value})


def _write_own_role(answered: Answered, role: str) -> None:
    person = answered.person
    buying_center_set_roles(
        actor=answered.actor,
        person=person,
        company=person.company,
        roles={*roles_of(person), role},
    )


def _write_decider(answered: Answered, decider: Person) -> None:
    company = answered.person.company
    buying_center_set_roles(
        actor=answered.actor,
        person=decider,
        company=company,
        roles={*roles_of(decider), BuyingCenterRole.DECIDER},
    )


def _write_acute_need(answered: Answered, value: str) -> None:
    company_update(
        actor=answered.actor, company=answered.person.company, data={"acute_need": value}
    )


for _kind in (
    AnswerKind("text", gettext_lazy("Text (in the call's notes)"), _text),
    AnswerKind("yes_no", gettext_lazy("Yes / no (in the call's notes)"), _yes_no),
    AnswerKind("number", gettext_lazy("Number (in the call's notes)"), _number),
    AnswerKind("date", gettext_lazy("Date (in the call's notes)"), _date),
    AnswerKind(
        "best_time_to_reach",
        gettext_lazy("Best time to reach → the contact"),
        _short_text,
        _write_best_time,
    ),
    AnswerKind(
        "buying_center_role",
        gettext_lazy("Role in the buying center → the contact"),
        _role,
        _write_own_role,
        lambda role: str(BuyingCenterRole(role).label),
    ),
    AnswerKind(
        "decider",
        gettext_lazy("Who decides → decider in the buying center"),
        _colleague,
        _write_decider,
    ),
    AnswerKind(
        "acute_need", gettext_lazy("Acute need → the company"), _short_text, _write_acute_need
    ),
):
    register_answer_kind(_kind)
