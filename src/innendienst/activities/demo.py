"""Demo data of the activities app: two years of calls, e-mails, visits, meetings and notes,
open tasks and follow-ups for every login, and the timeline of the story company."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from innendienst.accounts.models import User
from innendienst.activities import selectors
from innendienst.activities.calling import ranked_entries
from innendienst.activities.models import (
    Activity,
    ActivityType,
    CallGuide,
    CallGuideQuestion,
    CallList,
    CallListEntry,
    CallOutcome,
    ReachabilityRate,
)
from innendienst.activities.services import CONTACT_KINDS
from innendienst.contacts.demo import CompanyPlan, company_plans
from innendienst.contacts.models import CompanyStatus, Person, Salutation
from innendienst.contacts.selectors import company_filter
from innendienst.demo import data
from innendienst.demo.kit import Chunk, Step, Weighted, between, office_minutes, workday

ACTIVITY_HISTORY_DAYS = 2 * 365

# The tables are laid out by hand for reading; the formatter would put every item on a line.
# fmt: off
CALL_SUBJECTS: dict[str, tuple[str, ...]] = {
    "reached": (
        "Bedarfsabfrage", "Nachfrage zum Angebot", "Liefertermin abgestimmt",
        "Bestellung telefonisch aufgenommen", "Preisanfrage", "Reklamation besprochen",
        "Rahmenvertrag besprochen", "Produktneuheiten vorgestellt", "Rückfrage zur Rechnung",
    ),
    "not_reached": ("Nicht erreicht", "Mailbox, keine Nachricht hinterlassen",
                    "Nicht erreicht – laut Kollegen im Urlaub"),
    "gatekeeper": ("Am Vorzimmer gescheitert", "Zentrale stellt nicht durch"),
    "no_need": ("Aktuell kein Bedarf", "Kein Bedarf, Lager gut gefüllt"),
    "bought_elsewhere": ("Beim Wettbewerber bestellt", "Auftrag an Mitbewerber vergeben"),
    "appointment": ("Besuchstermin für den Außendienst vereinbart",),
    "callback": ("Rückruf erbeten", "Bitte um Rückruf nächste Woche"),
    "send_information": ("Unterlagen zusenden", "Datenblätter angefordert",
                         "Katalog angefordert"),
    "do_not_call": ("Wünscht keine Anrufe mehr",),
}
CALL_OUTCOME_WEIGHTS: dict[str, int] = {
    "reached": 36, "not_reached": 20, "gatekeeper": 7, "no_need": 8, "bought_elsewhere": 3,
    "appointment": 6, "callback": 10, "send_information": 9, "do_not_call": 1,
}
EMAIL_SUBJECTS: tuple[str, ...] = (
    "Angebot versendet", "Auftragsbestätigung nachgereicht", "Datenblätter gesendet",
    "Terminbestätigung", "Preisliste versendet", "Lieferverzug mitgeteilt",
    "Muster angekündigt", "Anfrage zu Sonderanfertigung",
)
VISIT_SUBJECTS: tuple[str, ...] = (
    "Bedarfsanalyse Instandhaltung", "Besuch mit Produktvorführung", "Reklamation vor Ort",
    "Antrittsbesuch", "Lagerbegehung C-Teile-Management", "Werkzeugtest an der Maschine",
)
MEETING_SUBJECTS: tuple[str, ...] = (
    "Jahresgespräch", "Rahmenvertragsverhandlung", "Online-Termin: Produktschulung",
    "Besuch auf der Hausmesse",
)
NOTE_SUBJECTS: tuple[str, ...] = (
    "Neuer Ansprechpartner im Einkauf", "Lieferanschrift geändert",
    "Wettbewerber beliefert Zerspanung", "Zahlungsziel 30 Tage vereinbart",
    "Budgetfreigabe erst im neuen Jahr", "Lieferantenaudit angekündigt",
)
ACTIVITY_NOTES: tuple[str, ...] = (
    "Kurz gesprochen, Interesse vorhanden.",
    "Preise liegen laut Einkauf leicht über Wettbewerb.",
    "Bedarf steigt mit neuer Fertigungslinie.",
    "Unterlagen per E-Mail nachgereicht.",
    "Liefertreue wurde ausdrücklich gelobt.",
    "Möchte Muster testen, bevor bestellt wird.",
    "Entscheidung liegt bei der Geschäftsführung.",
)
TASK_SUBJECTS: tuple[str, ...] = (
    "Angebot nachfassen", "Bedarf für das nächste Quartal abfragen", "Muster nachfassen",
    "Preisanpassung ankündigen", "Rahmenvertrag verlängern",
    "Ansprechpartner im Einkauf qualifizieren", "Liefertermin bestätigen",
)
TASK_DECIDER_UNKNOWN = "Entscheider ermitteln"
TASK_FORMER_CUSTOMER = "Reaktivierung: Altkunde anrufen"

# Tasks for the logins that do not work a territory's companies day by day, so that every
# demo login finds something in "Mein Tag". Field reps share the "aussendienst" subjects.
ROLE_TASKS: dict[str, tuple[str, ...]] = {
    "aussendienst": ("Besuch vorbereiten", "Besuchsbericht schreiben", "Vorführgerät abholen"),
    "kam": ("Jahresgespräch vorbereiten", "Rahmenvertrag: Konditionen prüfen",
            "Account-Plan aktualisieren"),
    "marketing": ("Messekontakt qualifizieren", "Einladung Hausmesse nachfassen",
                  "Referenzbericht abstimmen"),
    "produkt": ("Anwendungsfrage beantworten", "Produktabkündigung mitteilen",
                "Sonderanfertigung kalkulieren"),
    "leitung": ("Rabattfreigabe prüfen", "Kundenbesuch mit Außendienst begleiten",
                "Eskalation Reklamation klären"),
    "admin": ("Dublette prüfen", "Adressdaten nach Import prüfen",
              "Zugang für Kunden einrichten"),
}

# fmt: on

CALL_OUTCOMES = Weighted(list(CALL_OUTCOME_WEIGHTS), list(CALL_OUTCOME_WEIGHTS.values()))
DONE_KINDS = Weighted(
    (ActivityType.CALL, ActivityType.EMAIL, ActivityType.VISIT, ActivityType.MEETING,
     ActivityType.NOTE),
    (48, 20, 12, 4, 10),
)  # fmt: skip


class ActivityStep(Step):
    """Done activities of the last two years and open tasks; on the first chunk also the
    story company's timeline and a task for every login."""

    def chunk(self, chunk: Chunk) -> None:
        rng = self.run.rng(chunk, "activities")
        plans = company_plans(chunk)
        rows: list[Activity] = []
        kam_task_given = chunk.index != 0
        for plan in plans:
            if plan.story:
                rows.extend(self._story_timeline(plan))
                continue
            rows.extend(self._history(rng, plan))
            rows.extend(self._tasks(rng, plan))
            if plan.company.key_account_manager and not kam_task_given:
                # Every demo has at least one task for the key-account login.
                rows.append(self._role_task(rng, plan, data.KEY_ACCOUNT_MANAGER, upcoming=True))
                kam_task_given = True
        if chunk.index == 0:
            rows.extend(self._showcase_tasks(rng, plans))
        self.run.write(Activity, rows)
        self._note_last_contacts(plans, rows)

    @staticmethod
    def _note_last_contacts(plans: list[CompanyPlan], rows: list[Activity]) -> None:
        """What the activities' events keep up to date in the application: each company's
        newest contact, set on the company rows before the chunk is written."""
        newest: dict[int, datetime.datetime] = {}
        for activity in rows:
            if activity.kind in CONTACT_KINDS and activity.occurred_at is not None:
                known = newest.get(activity.company_id)
                if known is None or activity.occurred_at > known:
                    newest[activity.company_id] = activity.occurred_at
        for plan in plans:
            plan.company.last_contact_at = newest.get(plan.company.pk)

    def _activity(
        self,
        plan: CompanyPlan,
        kind: str,
        subject: str,
        author: User,
        when: datetime.datetime,
        person: Person | None = None,
        outcome: str = "",
        notes: str = "",
    ) -> Activity:
        return Activity(
            id=self.run.ids.next(Activity),
            kind=kind,
            company_id=plan.company.pk,
            person_id=person.pk if person else None,
            subject=subject,
            notes=notes,
            outcome=outcome,
            occurred_at=when,
            done=True,
            done_at=when,
            created_by_id=author.pk,
            created_at=when,
        )

    def _task(
        self,
        plan: CompanyPlan,
        subject: str,
        user: User,
        due: datetime.datetime,
        created: datetime.datetime,
        person: Person | None = None,
        follow_up_of: Activity | None = None,
    ) -> Activity:
        return Activity(
            id=self.run.ids.next(Activity),
            kind=ActivityType.TASK,
            company_id=plan.company.pk,
            person_id=person.pk if person else None,
            subject=subject,
            due_at=due,
            done=False,
            assigned_to_id=user.pk,
            created_by_id=user.pk,
            follow_up_of_id=follow_up_of.pk if follow_up_of else None,
            created_at=created,
        )

    def _history(self, rng: random.Random, plan: CompanyPlan) -> list[Activity]:
        company, status = plan.company, plan.company.status
        low, high = {
            CompanyStatus.CUSTOMER: (3, 11),
            CompanyStatus.PROSPECT: (0, 5),
            CompanyStatus.FORMER: (1, 5),
            CompanyStatus.LOST: (2, 6),
        }[status]
        start = max(
            self.run.days_ago(ACTIVITY_HISTORY_DAYS), plan.created + datetime.timedelta(days=1)
        )
        people = [p.person for p in plan.people]
        gatekeepers = [p.person for p in plan.people if p.function.kind == "assistant"]
        rows = []
        for _ in range(rng.randint(low, high)):
            kind = DONE_KINDS.pick(rng)
            if (
                kind in (ActivityType.VISIT, ActivityType.MEETING)
                and status != CompanyStatus.CUSTOMER
                and rng.random() < 0.6
            ):
                kind = ActivityType.CALL
            day = max(start, workday(between(rng, start, self.run.yesterday)))
            when = self.run.at(min(day, self.run.yesterday), office_minutes(rng))
            person = rng.choice(people) if people and rng.random() < 0.9 else None
            author = (
                plan.inside_rep
                if rng.random() < 0.9
                else rng.choice(self.run.colleagues[plan.inside_rep.pk])
            )
            outcome = ""
            if kind == ActivityType.CALL:
                outcome = CALL_OUTCOMES.pick(rng)
                subject = rng.choice(CALL_SUBJECTS[outcome])
                if outcome == CallOutcome.GATEKEEPER:
                    person = rng.choice(gatekeepers) if gatekeepers else None
            elif kind == ActivityType.EMAIL:
                subject = rng.choice(EMAIL_SUBJECTS)
            elif kind == ActivityType.VISIT:
                subject, author = rng.choice(VISIT_SUBJECTS), plan.field_rep
            elif kind == ActivityType.MEETING:
                subject = rng.choice(MEETING_SUBJECTS)
                if subject == "Jahresgespräch":
                    subject = f"Jahresgespräch {day.year}"
                author = company.key_account_manager or plan.field_rep
            else:
                subject = rng.choice(NOTE_SUBJECTS)
            notes = rng.choice(ACTIVITY_NOTES) if rng.random() < 0.35 else ""
            rows.append(self._activity(plan, kind, subject, author, when, person, outcome, notes))
        if status == CompanyStatus.LOST and plan.habits:
            day = workday(
                min(
                    self.run.yesterday,
                    plan.habits.last_order + datetime.timedelta(days=rng.randint(10, 60)),
                )
            )
            rows.append(
                self._activity(
                    plan,
                    ActivityType.CALL,
                    rng.choice(CALL_SUBJECTS["bought_elsewhere"]),
                    plan.inside_rep,
                    self.run.at(day, office_minutes(rng)),
                    rng.choice(people) if people else None,
                    CallOutcome.BOUGHT_ELSEWHERE,
                )
            )
        return rows

    def _due(self, rng: random.Random, days: int) -> datetime.datetime:
        day = self.run.anchor + datetime.timedelta(days=days)
        while days > 0 and day.weekday() >= 5:
            day += datetime.timedelta(days=1)
        return self.run.at(day, rng.randrange(8 * 60, 16 * 60 + 1, 15))

    def _due_offset(self, rng: random.Random) -> int:
        """Some tasks overdue, some due today, most in the coming days."""
        roll = rng.random()
        if roll < 0.2:
            return -rng.randint(1, 14)
        if roll < 0.35:
            return 0
        return rng.randint(1, 21)

    def _tasks(self, rng: random.Random, plan: CompanyPlan) -> list[Activity]:
        company, status = plan.company, plan.company.status
        chance = {
            CompanyStatus.CUSTOMER: 0.22,
            CompanyStatus.PROSPECT: 0.15,
            CompanyStatus.FORMER: 0.08,
            CompanyStatus.LOST: 0.05,
        }[status]
        rows: list[Activity] = []
        if rng.random() < chance:
            offset = self._due_offset(rng)
            due = self._due(rng, offset)
            people = [p.person for p in plan.people]
            person = rng.choice(people) if people else None
            if status == CompanyStatus.FORMER:
                subject = TASK_FORMER_CUSTOMER
            elif not plan.has_decider and rng.random() < 0.35:
                subject = TASK_DECIDER_UNKNOWN
            else:
                subject = rng.choice(TASK_SUBJECTS)
            call = None
            call_day = self.run.anchor + datetime.timedelta(days=offset - rng.randint(1, 10))
            call_day = max(
                plan.created + datetime.timedelta(days=1), min(self.run.yesterday, call_day)
            )
            created = self.run.at(workday(call_day), office_minutes(rng))
            if person and rng.random() < 0.4:
                call = self._activity(
                    plan,
                    ActivityType.CALL,
                    rng.choice(CALL_SUBJECTS["callback"]),
                    plan.inside_rep,
                    created,
                    person,
                    CallOutcome.CALLBACK,
                )
                rows.append(call)
                salutation = "Herr" if person.salutation == Salutation.MR else "Frau"
                subject = f"Rückruf {salutation} {person.last_name}"
            rows.append(self._task(plan, subject, plan.inside_rep, due, created, person, call))
        if status in (CompanyStatus.CUSTOMER, CompanyStatus.PROSPECT) and rng.random() < 0.05:
            rows.append(self._role_task(rng, plan, plan.field_rep.username, upcoming=True))
        if company.key_account_manager and rng.random() < 0.5:
            rows.append(self._role_task(rng, plan, data.KEY_ACCOUNT_MANAGER))
        for username in ("marketing", "produkt", "leitung", "admin"):
            if rng.random() < 0.003:
                rows.append(self._role_task(rng, plan, username))
        return rows

    def _role_task(
        self, rng: random.Random, plan: CompanyPlan, username: str, upcoming: bool = False
    ) -> Activity:
        user = self.run.organisation.users[username]
        subjects = ROLE_TASKS.get(username, ROLE_TASKS["aussendienst"])
        offset = rng.randint(1, 5) if upcoming else self._due_offset(rng)
        created = self.run.at(
            workday(self.run.anchor - datetime.timedelta(days=rng.randint(1, 20))),
            office_minutes(rng),
        )
        return self._task(plan, rng.choice(subjects), user, self._due(rng, offset), created)

    def _showcase_tasks(self, rng: random.Random, plans: list[CompanyPlan]) -> list[Activity]:
        """Tasks on the fixed companies, so that every login's "Mein Tag" shows something."""
        by_name = {plan.company.name: plan for plan in plans}
        assignments = (
            ("Mueller Metallbau GmbH", "marketing", 0),
            ("Mueller Metallbau GmbH", "admin", 0),
            ("Mayer Elektrotechnik AG", "produkt", 1),
            ("Meyer & Söhne KG", "leitung", 0),
            ("Maier Kunststofftechnik GmbH", "aussendienst", 2),
        )
        created = self.run.at(workday(self.run.days_ago(3)), 9 * 60)
        return [
            self._task(
                by_name[name],
                ROLE_TASKS[username][0],
                self.run.organisation.users[username],
                self._due(rng, days),
                created,
            )
            for name, username, days in assignments
            if name in by_name
        ]

    def _story_timeline(self, plan: CompanyPlan) -> list[Activity]:
        """A year of calls and visits at Müller Maschinenbau, ending in a callback due today."""
        lena, thomas = plan.inside_rep, plan.field_rep
        reiter, huber, seidl, kastner = (p.person for p in plan.people)
        script: tuple[tuple[int, int, str, str, User, Person, str, str], ...] = (
            (350, 600, ActivityType.VISIT, "Jahresgespräch", thomas, reiter, "",
             "Rahmenvertrag Zerspanung angesprochen; Entscheidung trifft die Geschäftsführung."),
            (320, 615, ActivityType.CALL, "Bedarfsabfrage Zerspanung", lena, reiter,
             CallOutcome.REACHED, "Bedarf an VHM-Bohrern steigt mit der neuen Fertigungslinie."),
            (290, 840, ActivityType.EMAIL, "Angebot Wendeschneidplatten versendet", lena, reiter,
             "", ""),
            (260, 570, ActivityType.CALL, "Geschäftsführung sprechen", lena, seidl,
             CallOutcome.GATEKEEPER, "Frau Seidl stellt nicht durch, Geschäftsführung im Termin."),
            (230, 780, ActivityType.VISIT, "Lagerbegehung C-Teile-Management", thomas, huber, "",
             "Kanban für Befestigungstechnik wäre interessant."),
            (200, 660, ActivityType.CALL, "Produktneuheiten vorgestellt", lena, kastner,
             CallOutcome.REACHED, "Hr. Kastner möchte VHM-Fräser testen."),
            (170, 900, ActivityType.NOTE, "Entscheider weiterhin unbekannt", lena, None, "",
             "Geschäftsführer laut Einkauf 'nicht für Lieferanten zu sprechen'."),
            (140, 630, ActivityType.CALL, "Datenblätter angefordert", lena, reiter,
             CallOutcome.SEND_INFORMATION, ""),
            (110, 540, ActivityType.VISIT, "Werkzeugtest an der Maschine", thomas, kastner, "",
             "Standzeit +30 % gegenüber dem bisherigen Lieferanten."),
            (80, 585, ActivityType.CALL, "Termin mit Geschäftsführung", lena, seidl,
             CallOutcome.GATEKEEPER, ""),
            (60, 600, ActivityType.MEETING, "Rahmenvertragsverhandlung", thomas, reiter, "",
             "Konditionen für 24 Monate besprochen, Freigabe fehlt."),
            (35, 690, ActivityType.CALL, "Bestellung telefonisch aufgenommen", lena, reiter,
             CallOutcome.REACHED, ""),
            (20, 810, ActivityType.VISIT, "Bedarfsanalyse Instandhaltung", thomas, huber, "", ""),
            (6, 645, ActivityType.CALL, "Rückruf erbeten: Rahmenvertrag Zerspanung", lena, reiter,
             CallOutcome.CALLBACK, "Fr. Reiter klärt intern, wer den Rahmenvertrag freigibt."),
        )  # fmt: skip
        rows = [
            self._activity(
                plan,
                kind,
                subject,
                author,
                self.run.at(workday(self.run.days_ago(days)), minutes),
                person,
                outcome,
                notes,
            )
            for days, minutes, kind, subject, author, person, outcome, notes in script
        ]
        rows.append(
            self._task(
                plan, "Rückruf Frau Reiter: Rahmenvertrag Zerspanung", lena,
                self.run.at(self.run.anchor, 10 * 60), rows[-1].occurred_at, reiter, rows[-1],
            )
        )  # fmt: skip
        return rows


# The demo's call list: the inside service of the "innendienst" login calls the former
# customers of its territories. Put together by the application's own rules (phone numbers,
# objections in the consent ledger, contact limits), from the first chunk's companies.
CALL_LIST_NAME = "Reaktivierung Altkunden Q1"
CALL_LIST_DESCRIPTION = (
    "Ehemalige Kunden unserer Gebiete anrufen: Bedarf für das erste Quartal abfragen, bei "
    "Interesse einen Termin für den Außendienst vereinbaren."
)
CALL_LIST_CONTACTS = 400
# The campaign's call guide, as the source texts lay one out.
CALL_GUIDE = {
    "goal": "Einen Besuchstermin für den Außendienst vereinbaren oder den Bedarf fürs erste "
    "Quartal als Lead aufnehmen.",
    "opener": "Guten Tag Frau/Herr …, hier ist … von der Pumpen AG. Sie haben bis vor zwei "
    "Jahren bei uns bestellt – ich möchte kurz hören, wie es Ihren Anlagen geht.",
    "hook": "Mit unserem neuen Wartungsvertrag sinken die Stillstandszeiten um bis zu ein "
    "Drittel; für frühere Kunden gilt im ersten Quartal der Rahmenpreis von damals.",
    "close": "Darf ich unseren Außendienst für eine Bestandsaufnahme vorbeischicken – passt "
    "Ihnen eher Dienstag oder Donnerstag?",
    "gatekeeper": "Nach der Person fragen, die die Instandhaltung verantwortet; Rückrufzeit "
    "erfragen statt Nachricht hinterlassen.",
    "not_reached": "Zu einer anderen Tageszeit noch einmal; nach dem fünften Versuch fällt "
    "der Kontakt von der Liste.",
}
CALL_GUIDE_QUESTIONS = (
    ("Welche Rolle haben Sie bei der Beschaffung?", "buying_center_role"),
    ("Wer entscheidet über die Beschaffung?", "decider"),
    ("Wann sind Sie am besten erreichbar?", "best_time_to_reach"),
    ("Aktueller Bedarf?", "lead_need"),
    ("Wie viele Pumpen sind im Einsatz?", "number"),
)


class CallListStep(Step):
    """Runs after every other step of the first chunk and writes that chunk's rows first, so
    that the list is put together by the application's rules from what is in the database."""

    def chunk(self, chunk: Chunk) -> None:
        if chunk.index != 0:
            return
        self.run.flush()
        users = self.run.organisation.users
        manager, inside_rep = users[data.SALES_MANAGER], users[data.INSIDE_SALES]
        companies = company_filter(inside_rep, {"status": CompanyStatus.FORMER}).matches()
        people = ranked_entries(
            selectors.call_candidates(inside_rep, companies).people, limit=CALL_LIST_CONTACTS
        )
        created = timezone.make_aware(datetime.datetime.combine(self.run.anchor, datetime.time(8)))
        call_list = CallList(
            pk=self.run.ids.next(CallList),
            name=CALL_LIST_NAME,
            description=CALL_LIST_DESCRIPTION,
            team=inside_rep.team,
            created_by=manager,
            created_at=created,
            updated_at=created,
            campaign=self.run.steps["campaigns"].campaign,
        )
        self.run.write(CallList, [call_list])
        self._write_guide(call_list, inside_rep, created)
        # The industries' best times to reach, as the nightly task learns them.
        rates = selectors.reachability_rates_computed()
        for rate in rates:
            rate.pk = self.run.ids.next(ReachabilityRate)
        self.run.write(ReachabilityRate, rates)
        self.run.write(
            CallListEntry,
            [
                CallListEntry(
                    pk=self.run.ids.next(CallListEntry),
                    call_list=call_list,
                    person_id=row["entry_person"],
                    company_id=row["entry_company"],
                    priority=row["entry_priority"],
                )
                for row in people
            ],
        )

    def _write_guide(self, call_list: CallList, writer: User, created: datetime.datetime) -> None:
        guide = CallGuide(
            pk=self.run.ids.next(CallGuide),
            campaign=call_list.campaign,
            version=1,
            created_by=writer,
            created_at=created,
            **CALL_GUIDE,
        )
        self.run.write(CallGuide, [guide])
        self.run.write(
            CallGuideQuestion,
            [
                CallGuideQuestion(
                    pk=self.run.ids.next(CallGuideQuestion),
                    guide=guide,
                    position=position,
                    text=text,
                    kind=kind,
                )
                for position, (text, kind) in enumerate(CALL_GUIDE_QUESTIONS, start=1)
            ],
        )
