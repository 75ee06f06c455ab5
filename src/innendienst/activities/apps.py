from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "innendienst.activities"
    label = "activities"
    verbose_name = _("Activities")

    def ready(self) -> None:
        from innendienst.accounts.access import MANAGERS
        from innendienst.activities import exports, panels
        from innendienst.activities.models import (
            Activity,
            ActivityType,
            CallEntryStatus,
            CallGuide,
            CallGuideQuestion,
            CallList,
            CallListEntry,
            CallOutcome,
            ReachabilityRate,
        )
        from innendienst.contacts.models import Company, Person
        from innendienst.core import events, references, registry
        from innendienst.core.registry import MyDaySection, NavItem, Panel

        registry.register_nav(
            NavItem(_("Call lists"), "call_list_index", "phone", "calls", order=18)
        )
        # The call screen shows, beside the buying center, what other apps have of the company
        # on the phone (offers: its open offers).
        registry.register_record_page(
            registry.RecordPage("call", slots=("side",), lazy_panels=False)
        )

        for page, panel in [
            ("company", Panel("log_activity", "activities/_log_activity_action.html",
                              panels.log_activity, slot="actions", order=10)),
            ("company", Panel("timeline", "activities/_timeline_panel.html",
                              panels.company_timeline, slot="main", order=20)),
            ("company", Panel("open_tasks", "activities/_open_tasks_panel.html",
                              panels.open_tasks, slot="side", order=20)),
            ("person", Panel("log_activity", "activities/_log_activity_link.html",
                             panels.log_activity_for_person, slot="actions", order=10)),
            ("person", Panel("timeline", "activities/_timeline_panel.html",
                             panels.person_timeline, slot="main", order=10)),
            ("campaign", Panel("call_guide", "activities/_campaign_guide_panel.html",
                               panels.campaign_call_guide, order=10)),
            ("campaign", Panel("call_lists", "activities/_campaign_call_lists_panel.html",
                               panels.campaign_call_lists, order=20)),
        ]:  # fmt: skip
            registry.register_panel(page, panel)

        registry.register_my_day_section(
            MyDaySection("my_tasks", "activities/_my_tasks_section.html", panels.my_tasks, order=10)
        )
        registry.register_my_day_section(
            MyDaySection(
                "team_follow_ups",
                "activities/_team_follow_ups_section.html",
                panels.team_follow_ups,
                order=20,
                roles=frozenset(MANAGERS),
            )
        )

        outcome_tones = {
            CallOutcome.REACHED: "ok",
            CallOutcome.APPOINTMENT: "ok",
            CallOutcome.NOT_REACHED: "info",
            CallOutcome.GATEKEEPER: "info",
            CallOutcome.CALLBACK: "info",
            CallOutcome.SEND_INFORMATION: "info",
            CallOutcome.NO_NEED: "muted",
            CallOutcome.BOUGHT_ELSEWHERE: "bad",
            CallOutcome.DO_NOT_CALL: "bad",
        }
        registry.register_choice_display(Activity, "outcome", tones=outcome_tones)
        registry.register_choice_display(CallListEntry, "last_outcome", tones=outcome_tones)
        registry.register_my_day_section(
            MyDaySection(
                "team_calls",
                "activities/_team_calls_section.html",
                panels.team_calls,
                order=25,
                roles=frozenset(MANAGERS),
                lazy=True,
            )
        )
        registry.register_choice_display(
            Activity,
            "kind",
            icons={
                ActivityType.CALL: "phone",
                ActivityType.VISIT: "map-pin",
                ActivityType.EMAIL: "envelope",
                ActivityType.MEETING: "user-group",
                ActivityType.NOTE: "pencil-square",
                ActivityType.TASK: "clock",
            },
        )

        registry.register_export_kind(exports.ACTIVITIES)

        events.declare("activity.logged", "An activity was logged or a task planned.")
        events.declare("activity.updated", "An activity changed; data: fields.")
        events.declare("activity.completed", "A task or follow-up was marked as done.")
        events.declare("call_list.created", "A call list was put together; data: entries.")
        events.declare(
            "call_guide.saved", "A campaign's call guide got a new version; data: campaign_id."
        )
        events.declare(
            "call.recorded", "A call from a call list was saved; data: call_list_id, outcome."
        )

        # The timeline follows a merge; an erased person's activities stay for the
        # statistics, without the link to him.
        references.declare(Company, Activity, "company", on_merge=references.relink)
        references.declare(
            Person,
            Activity,
            "person",
            on_merge=references.relink,
            on_erase=references.set_null,
        )
        registry.register_choice_display(
            CallListEntry,
            "status",
            tones={
                CallEntryStatus.OPEN: "info",
                CallEntryStatus.DONE: "ok",
                CallEntryStatus.REMOVED: "muted",
            },
        )
        # A merged contact keeps his place on the lists (once per list); an erased one leaves.
        references.declare(Company, CallListEntry, "company", on_merge=references.relink)
        references.declare(
            Person,
            CallListEntry,
            "person",
            on_merge=references.relink_unique("call_list"),
            on_erase=references.delete,
        )
        registry.register_demo_step(
            registry.DemoStep(
                "call_lists",
                _("call lists"),
                # Last: it reads the first chunk's contacts, consents and calls.
                order=90,
                step="innendienst.activities.demo.CallListStep",
                models=(CallList, CallListEntry, CallGuide, CallGuideQuestion, ReachabilityRate),
                needs=("contacts", "privacy", "activities", "campaigns"),
                # 2: the list belongs to the demo campaign, with its call guide.
                version=2,
            )
        )
        registry.register_demo_step(
            registry.DemoStep(
                "activities",
                _("activities"),
                order=50,
                step="innendienst.activities.demo.ActivityStep",
                models=(Activity,),
                needs=("contacts",),
            )
        )
