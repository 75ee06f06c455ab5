"""What a new installation agrees on until the sales manager writes down his own: the stage
definitions of the source texts and the usual reaction times. Kept in code, not in seeded
rows, so that they hold on every database; a row of ``StageDefinition`` or ``SlaRule``
replaces its default."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from innendienst.leads.models import LeadSource, LeadStage

DEFINITIONS = {
    LeadStage.QL: _(
        "Has a recognisable problem and wants to understand it first: company and contact are "
        "known, a concrete need is not described yet."
    ),
    LeadStage.MQL: _(
        "Actively looks for a solution: need and contact person are known, the interest in "
        "our products is shown (talk at the fair, enquiry, download)."
    ),
    LeadStage.SQL: _(
        "Looks for a product and compares vendors: need, decider and time frame are clear; "
        "sales takes the lead over or gives it back with a reason."
    ),
    LeadStage.ACCEPTED: _("Sales has taken the lead over and contacts the customer."),
    LeadStage.RECYCLED: _(
        "Given back by sales with a reason: marketing keeps in touch until the need becomes "
        "concrete."
    ),
    LeadStage.CONVERTED: _("The lead became an offer request or a customer."),
    LeadStage.DISQUALIFIED: _(
        "No need, not a fitting customer or an invalid entry: not worked any further."
    ),
}

# (stage, source) → business hours; "" is every source without a rule of its own. A new lead
# is contacted within two working days, one that called or wrote in within half a day; sales
# answers a handover within a working day and then contacts the customer within two.
SLA_HOURS: dict[tuple[str, str], int] = {
    (LeadStage.QL, ""): 16,
    (LeadStage.MQL, ""): 16,
    (LeadStage.QL, LeadSource.INBOUND_CALL): 4,
    (LeadStage.QL, LeadSource.WEB_FORM): 4,
    (LeadStage.SQL, ""): 8,
    (LeadStage.ACCEPTED, ""): 16,
}
# Business hours before the deadline at which the rep is warned, where a rule says nothing.
WARN_BEFORE_HOURS = 2
