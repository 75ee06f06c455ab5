from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Data protection (GDPR / revDSG): the consent ledger, and later access export,
    erasure and retention."""

    name = "innendienst.privacy"
    label = "privacy"
    verbose_name = _("Data protection")

    def ready(self) -> None:
        from innendienst.contacts.models import Person
        from innendienst.core import events, references, registry
        from innendienst.privacy import panels
        from innendienst.privacy.models import Consent, ConsentStatus
        from innendienst.privacy.selectors import consent_visibility

        registry.register_visibility_rule(Person, consent_visibility)
        registry.register_audit_note("consent", _("consent"))
        registry.register_choice_display(
            Consent,
            "status",
            tones={ConsentStatus.GRANTED: "ok", ConsentStatus.WITHDRAWN: "bad"},
        )
        registry.register_panel(
            "person",
            registry.Panel(
                name="consent",
                template="privacy/_consent_panel.html",
                context=panels.consent,
                slot="side",
                order=20,
            ),
        )
        events.declare("consent.recorded", "An entry was added to a person's consent ledger.")
        # The ledger is the evidence of consent and objection: it follows a merge and is
        # kept on erasure (the erased person no longer identifies anyone).
        references.declare(
            Person, Consent, "person", on_merge=references.relink, on_erase=references.keep
        )
        registry.register_demo_step(
            registry.DemoStep(
                "privacy",
                _("consents"),
                order=30,
                step="innendienst.privacy.demo.ConsentStep",
                models=(Consent,),
                needs=("contacts",),
            )
        )
