from __future__ import annotations

from django.db import models

from innendienst.contacts.models import Company, Person


class NoteStatus(models.TextChoices):
    OPEN = "open", "open"
    SETTLED = "settled", "settled"


class FieldNote(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL)
    text = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=NoteStatus.choices, default=NoteStatus.OPEN)

    def __str__(self) -> str:
        return self.text
