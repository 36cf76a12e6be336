"""Seed the demo with applications at AST-01 in every stage a back office sees: waiting for
a decision, returned for documents, the result waiting at the centre, issued. Goes through
the real services (registration, routing, decisions), so the history, audit trail and
messages are what production would have. Does nothing when applications already exist."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from onestop.accounts.models import User
from onestop.cases import intake, services
from onestop.cases.models import Application
from onestop.catalog.models import Service
from onestop.centres.models import Centre
from onestop.core.selectors import current_mci
from onestop.feedback.complaints import services as complaints
from onestop.feedback.complaints.domain import Against, Category, Channel

# Synthetic applicants (born in the 1800s by the century digit: no living person's IIN).
APPLICANTS = [
    ("800312100010", "Серікбаев Ерлан", date(1880, 3, 12), "ru"),
    ("850704200017", "Нұрланова Айгүл", date(1885, 7, 4), "kk"),
    ("790101100019", "Ковалёв Андрей", date(1879, 1, 1), "ru"),
    ("881120200010", "Жұмабекова Динара", date(1888, 11, 20), "kk"),
    ("820615100011", "Smith John", date(1882, 6, 15), "en"),
]


class Command(BaseCommand):
    help = "Seed demo applications at AST-01 (only into an empty applications table)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="run with DEBUG off")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError("Demo data only with DEBUG on (or --force on a throwaway DB).")
        if Application.objects.exists():
            self.stdout.write("Applications exist already: nothing seeded.")
            return
        operator = User.objects.get(username="operator1")
        officer = User.objects.get(username="officer_mj1")
        centre = Centre.objects.get(code="AST-01")
        # Paid services need this year's MCI, which the catalogue may not know yet in January.
        paid = current_mci()[0] is not None
        id_card = Service.objects.get(code="MJ-ID-CARD" if paid else "MJ-RESIDENCE-REG")
        apostille = Service.objects.get(code="MJ-APOSTILLE" if paid else "MJ-BIRTH-REG")
        made = []
        for n, (iin, name, born, language) in enumerate(APPLICANTS):
            service = id_card if n % 2 == 0 else apostille
            presented = {doc.code for doc in service.documents.all()} - {"power_of_attorney"}
            [case] = intake.register_applications(
                operator=operator,
                centre=centre,
                applicant=intake.Applicant(
                    iin=iin,
                    name=name,
                    birth_date=born,
                    identity_confirmed=True,
                    phone=f"+7701000{n:04d}",
                    language=language,
                ),
                intakes=[
                    intake.Intake(
                        service=service,
                        presented=frozenset(presented),
                        payment_reference=f"DEMO-{n + 1}",
                    )
                ],
                consent=True,
            )
            made.append(case)
        if made[0].assigned_to_id == officer.pk:
            services.decide(case=made[0], officer=officer, decision="return", text="Фото 3×4")
        if made[1].assigned_to_id == officer.pk:
            services.decide(
                case=made[1], officer=officer, decision="approve", result_number="AP-DEMO-1"
            )
        # Two complaints for the complaint desk: one about the hall, one about a decision.
        iin, name, _born, language = APPLICANTS[2]
        complaints.register_complaint(
            category=Category.STAFF_BEHAVIOUR,
            subject=complaints.Subject(against=Against.CENTRE, centre=centre),
            description="Оператор у окна 3 разговаривал грубо и не объяснил, каких документов "
            "не хватает.",
            citizen=complaints.Citizen(iin=iin, name=name, phone="+77010000002", language=language),
            channel=Channel.PORTAL,
            consent=True,
        )
        iin, name, _born, language = APPLICANTS[0]
        complaints.register_complaint(
            category=Category.EXTRA_DOCUMENTS,
            subject=complaints.Subject(against=Against.APPLICATION, application=made[0]),
            description="Фото было по стандарту, а документы вернули и просят другое фото.",
            citizen=complaints.Citizen(iin=iin, name=name, phone="+77010000000", language=language),
            channel=Channel.PORTAL,
            consent=True,
        )
        self.stdout.write(f"Seeded {len(made)} demo applications and 2 complaints at AST-01.")
