"""Moving a territory carries its whole subtree along, in one statement, audited."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from innendienst.accounts.models import Territory
from innendienst.accounts.services import territory_save
from innendienst.core.models import AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(territories):
    munich = factories.TerritoryFactory(code="DE-BY-M", name="München", parent=territories["BY"])
    schwabing = factories.TerritoryFactory(code="DE-BY-M-S", name="Schwabing", parent=munich)
    austria = factories.TerritoryFactory(code="AT", name="Österreich", country="AT")
    return {"munich": munich, "schwabing": schwabing, "austria": austria, **territories}


def test_it_moves_the_subtree_in_one_statement_and_audits_it(
    tree, admin_user, django_assert_num_queries
):
    ContentType.objects.get_for_model(Territory)  # cached for the life of the process
    bavaria = Territory.objects.get(pk=tree["BY"].pk)
    bavaria.parent = tree["austria"]
    # savepoint, lock, 3 validation checks, save, 2 names for the audit of the parent, audit
    # entry, ONE update of the whole subtree, the note about it, release
    with django_assert_num_queries(12):
        territory_save(actor=admin_user, territory=bavaria)
    paths = dict(Territory.objects.values_list("code", "path"))
    assert paths["DE-BY"] == "/AT/DE-BY/"
    assert paths["DE-BY-M"] == "/AT/DE-BY/DE-BY-M/"
    assert paths["DE-BY-M-S"] == "/AT/DE-BY/DE-BY-M/DE-BY-M-S/"
    assert paths["DE-NORD"] == "/DE/DE-NORD/"
    note = AuditEntry.objects.get(object_id=bavaria.pk, field="subtree")
    assert (note.old_value, note.actor) == ("/DE/DE-BY/", admin_user)
    assert note.new_value.startswith("/AT/DE-BY/, ")
    assert "2" in note.new_value


def test_it_refuses_to_put_a_territory_below_itself(tree, admin_user):
    bavaria = Territory.objects.get(pk=tree["BY"].pk)
    bavaria.parent = tree["schwabing"]
    with pytest.raises(ValidationError) as caught:
        territory_save(actor=admin_user, territory=bavaria)
    assert "parent" in caught.value.error_dict
    assert Territory.objects.get(pk=tree["BY"].pk).path == "/DE/DE-BY/"
