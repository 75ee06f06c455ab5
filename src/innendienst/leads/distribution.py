"""Verteilung: who gets a new lead, and why.

The first active assignment rule, in their order, whose conditions all hold names a team or a
rep. Within the team the lead goes to the rep who has the largest share of his monthly
capacity left (a rep without a capacity counts as free), the one with fewer leads this month
on a tie — a round robin weighted by capacity. Reps who are away, have no capacity left or
may not see the company are passed over; when a rule finds nobody, the next rule is asked;
when none finds anybody, the company's inside rep gets the lead. The reason is kept in words.

A ``Distributor`` reads the rules, the capacities and the month's counts once, so that a batch
of an import is distributed without a query per lead.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from innendienst.accounts.models import Territory, User
from innendienst.accounts.selectors import visible_territory_ids
from innendienst.contacts.models import COUNTRY_LANGUAGES, Company
from innendienst.core.text import fold
from innendienst.leads.access import REPS
from innendienst.leads.models import AssignmentRule, Lead, LeadCapacity


@dataclass(frozen=True)
class Assignment:
    owner: User | None
    reason: str


def month_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, 1))


def language_of(lead: Lead, company: Company) -> str:
    """The contact's language, else the one of the company's country ("" in Switzerland)."""
    if lead.person_id and lead.person.language:
        return lead.person.language
    return COUNTRY_LANGUAGES.get(company.country, "")


class Distributor:
    def __init__(self, today: datetime.date | None = None) -> None:
        self.today = today or timezone.localdate()
        self.rules = list(
            AssignmentRule.objects.filter(is_active=True).select_related("territory", "team", "rep")
        )
        self.capacities = {c.user_id: c for c in LeadCapacity.objects.all()}
        self.taken: Counter = Counter(
            dict(
                Lead.objects.filter(assigned_at__gte=month_start(self.today), owner__isnull=False)
                .values("owner")
                .annotate(count=Count("id"))
                .values_list("owner", "count")
            )
        )
        # Everybody active, once: the inside rep a lead falls back to is read from here, not
        # from the company (a query per lead of an import's batch).
        self.users = {user.pk: user for user in User.objects.filter(is_active=True)}
        teams = {rule.team_id for rule in self.rules if rule.team_id}
        self.members: dict[int, list[User]] = {}
        for user in sorted(self.users.values(), key=lambda user: user.pk):
            if user.team_id in teams and user.role in REPS:
                self.members.setdefault(user.team_id, []).append(user)
        self.paths = dict(Territory.objects.values_list("pk", "path"))
        self.words = {rule.pk: fold(rule.interest) for rule in self.rules}

    def _holds(self, rule: AssignmentRule, lead: Lead, company: Company, text: str) -> bool:
        if rule.territory_id and not self.paths[company.territory_id].startswith(
            self.paths[rule.territory_id]
        ):
            return False
        if rule.source and rule.source != lead.source:
            return False
        if rule.customer_group_id and rule.customer_group_id != company.customer_group_id:
            return False
        if rule.language and rule.language != language_of(lead, company):
            return False
        return not rule.interest or self.words[rule.pk] in text

    def left(self, user: User) -> int | None:
        capacity = self.capacities.get(user.pk)
        return None if capacity is None else capacity.per_month - self.taken[user.pk]

    def _free(self, user: User) -> bool:
        capacity = self.capacities.get(user.pk)
        if capacity is not None and capacity.away_on(self.today):
            return False
        left = self.left(user)
        return left is None or left > 0

    @staticmethod
    def _sees(user: User, company: Company) -> bool:
        territories = visible_territory_ids(user)
        return (
            territories is None
            or company.territory_id in territories
            or user.pk
            in (company.inside_rep_id, company.field_rep_id, company.key_account_manager_id)
        )

    def _share_left(self, user: User) -> float:
        left = self.left(user)
        return 1.0 if left is None else left / max(1, self.capacities[user.pk].per_month)

    def _taking(self, user: User) -> str:
        self.taken[user.pk] += 1
        left = self.left(user)
        if left is None:
            return str(user)
        per_month = self.capacities[user.pk].per_month
        if left < 0:
            return _("%(rep)s (over capacity: %(taken)s of %(capacity)s leads this month)") % {
                "rep": user,
                "taken": self.taken[user.pk],
                "capacity": per_month,
            }
        return _("%(rep)s (%(left)s of %(capacity)s leads this month still free)") % {
            "rep": user,
            "left": left,
            "capacity": per_month,
        }

    def assign(self, lead: Lead) -> Assignment:
        company = lead.company
        text = fold(f"{lead.interests} {lead.need}")
        passed = []
        for rule in self.rules:
            if not self._holds(rule, lead, company, text):
                continue
            if rule.rep_id:
                # Active users only: a rep who left is no candidate.
                candidates = [self.users[rule.rep_id]] if rule.rep_id in self.users else []
            else:
                candidates = self.members.get(rule.team_id, [])
            free = [u for u in candidates if self._free(u) and self._sees(u, company)]
            if not free:
                passed.append(rule.name)
                continue
            best = max(free, key=lambda u: (self._share_left(u), -self.taken[u.pk], -u.pk))
            via = f" → {rule.team}" if rule.team_id else ""
            return Assignment(
                best, _("Rule “%(rule)s”%(via)s → %(rep)s")
                % {"rule": rule.name, "via": via, "rep": self._taking(best)},
            )  # fmt: skip
        # Active users only: an inside rep who left gets no leads.
        fallback = self.users.get(company.inside_rep_id) if company.inside_rep_id else None
        if passed:
            why = _("Nobody of the rules %(rules)s is free (away or no capacity left)") % {
                "rules": ", ".join(_("“%(rule)s”") % {"rule": name} for name in passed)
            }
        else:
            why = _("No rule applies")
        if fallback is None:
            return Assignment(None, _("%(why)s, and the company has no inside rep.") % {"why": why})
        return Assignment(
            fallback,
            _("%(why)s: the company's inside rep, %(rep)s.")
            % {"why": why, "rep": self._taking(fallback)},
        )
