"""What fills the path parameters of the access matrices.

Both matrices (tests/web/test_access_matrix.py for the pages, tests/api/test_access_matrix.py
for the API) walk every route of the project and fill its parameters from the ``records``
fixture (tests/conftest.py): one record of each kind that the owner sees. A route with a
parameter that is not named here fails the matrix, so nobody can add a view or endpoint
without saying here which record it is tested with.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pytest

# Records of the owner's team: owner and teammate see them, the outsider does not.
TEAM = "team"
# The owner's own records (his API tokens): the teammate gets 404 like an outsider.
PERSONAL = "personal"
# Records every user sees (the catalogue the offers are priced from): the outsider reads them
# as the owner does.
SHARED = "shared"


@dataclass(frozen=True)
class Parameter:
    record: str  # the key in the ``records`` fixture
    reach: str  # TEAM or PERSONAL


PATH_PARAMETERS: dict[str, Parameter] = {
    "company_id": Parameter("company", TEAM),
    "person_id": Parameter("person", TEAM),
    # The owner's open follow-up: it can be shown, changed and completed.
    "activity_id": Parameter("task", TEAM),
    "address_id": Parameter("address", TEAM),
    "token_id": Parameter("token", PERSONAL),
    # The owner's finished import: its page, its rows with errors, its undo.
    "import_id": Parameter("import", PERSONAL),
    # The owner's export written by the worker: its page and its file.
    "export_id": Parameter("export", PERSONAL),
    # A pair of the duplicate scan of the company and its twin, and a merge into the company.
    "pair_id": Parameter("pair", TEAM),
    "merge_id": Parameter("merge", TEAM),
    # A trade-fair lead of the company in the owner's queue, waiting for its first contact.
    "lead_id": Parameter("lead", TEAM),
    # Automation's configuration: a rule, an event source, a webhook and one of its deliveries.
    "rule_id": Parameter("rule", TEAM),
    "source_id": Parameter("source", TEAM),
    "webhook_id": Parameter("webhook", TEAM),
    "delivery_id": Parameter("delivery", TEAM),
    # A call list of the owner's team with the person on it, nobody calling him yet.
    "call_list_id": Parameter("call_list", TEAM),
    "call_entry_id": Parameter("call_entry", TEAM),
    # A telephone campaign of the owner's team with a phase of its plan (the call list above
    # belongs to it).
    "campaign_id": Parameter("campaign", TEAM),
    "phase_id": Parameter("phase", TEAM),
    # The owner's offer of the company in its second version (the first was sent), with a
    # line and a discount waiting for approval.
    "offer_id": Parameter("offer", TEAM),
    "line_id": Parameter("offer_line", TEAM),
    "approval_id": Parameter("approval", TEAM),
    "revision_id": Parameter("revision", TEAM),
    # A product of the catalogue with its price in a price list.
    "product_id": Parameter("product", SHARED),
    "price_list_id": Parameter("price_list", SHARED),
    # The directory's entry of the product manager (every user reads the directory), whom the
    # owner asked from the offer: the owner withdraws his request, the teammate may not (404:
    # it is not his to withdraw), and only the product manager answers it (MANAGER_PAGES).
    "expert_id": Parameter("expert", SHARED),
    "expert_request_id": Parameter("expert_request", PERSONAL),
}

# Pages for roles above the matrix's users — management, administrators, and marketing for the
# automation rules — with the test that shows each to them: the matrix's inside reps get 403.
MANAGER_PAGES: dict[str, str] = {
    "lead_score_model": "tests/web/test_lead_score_model.py",
    "automation_rules": "tests/web/test_automation.py",
    "automation_rule_new": "tests/web/test_automation.py",
    "automation_rule": "tests/web/test_automation.py",
    "automation_rule_delete": "tests/web/test_automation.py",
    "automation_inbound": "tests/web/test_automation.py",
    "automation_sources": "tests/web/test_automation.py",
    "automation_source_rotate": "tests/web/test_automation.py",
    "automation_webhooks": "tests/web/test_automation.py",
    "automation_webhook": "tests/web/test_automation.py",
    "automation_delivery_replay": "tests/web/test_automation.py",
    "automation_source_toggle": "tests/web/test_automation.py",
    "automation_webhook_rotate": "tests/web/test_automation.py",
    # Discounts are approved by whoever's limit covers them, never by the requester himself.
    "approval_decide": "tests/web/test_offers.py",
    # Management sets the letterhead of the documents and trains the win probability anew.
    "letterhead_edit": "tests/web/test_offer_reports.py",
    "win_model_train": "tests/web/test_offer_reports.py",
    "discount_limits_edit": "tests/web/test_offer_reports.py",
    # Product management and the managers keep the expert directory; a request is answered
    # by its expert alone, and the matrix's reps are no experts.
    "expert_create": "tests/web/test_experts.py",
    "expert_edit": "tests/web/test_experts.py",
    "expert_request_answer": "tests/web/test_experts.py",
}


def fill(names: Iterable[str], records: Mapping[str, Any]) -> dict[str, int]:
    """The ids for the parameters ``names``; an unknown name fails the test."""
    names = list(names)
    unknown = [name for name in names if name not in PATH_PARAMETERS]
    if unknown:
        pytest.fail(
            f"Path parameter(s) {unknown} are unknown to the access matrix: add each to "
            "PATH_PARAMETERS in tests/matrix.py with a record of the `records` fixture "
            "(tests/conftest.py) that the owner sees."
        )
    return {name: records[PATH_PARAMETERS[name].record].pk for name in names}


def is_personal(names: Iterable[str]) -> bool:
    return any(PATH_PARAMETERS[name].reach == PERSONAL for name in names)


def is_shared(names: Iterable[str]) -> bool:
    names = list(names)
    return bool(names) and all(PATH_PARAMETERS[name].reach == SHARED for name in names)
