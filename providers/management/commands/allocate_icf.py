"""python manage.py allocate_icf --council SLUG --round SLUG --tranche N

Calculates (or recalculates) a tranche's Infection Control Fund allocation schedule from the
round's distribution rule and prints its totals, which reconcile with the tranche exactly.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from providers.management.commands._common import council_named
from providers.models import IcfTranche
from providers.selectors import icf_tranche_totals
from providers.services.funding import icf_tranche_allocate


class Command(BaseCommand):
    help = "Allocate an Infection Control Fund tranche by its round's rule."

    def add_arguments(self, parser):
        parser.add_argument("--council", required=True)
        parser.add_argument("--round", required=True, dest="round_slug")
        parser.add_argument("--tranche", required=True, type=int)

    def handle(self, *args, council, round_slug, tranche, **options):
        council = council_named(council)
        found = IcfTranche.objects.filter(
            round__council=council, round__slug=round_slug, number=tranche).first()
        if found is None:
            raise CommandError(f"{council.name} has no tranche {tranche} in round {round_slug}.")
        try:
            outcome = icf_tranche_allocate(tranche=found)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        totals = icf_tranche_totals(found)
        self.stdout.write(
            f"{found}: £{totals.to_providers:,.2f} to {totals.providers} providers, "
            f"£{totals.held_back:,.2f} held back, £{totals.unallocated:,.2f} not allocated; "
            f"total £{totals.total:,.2f} of £{found.amount:,.2f}"
            f"{'' if outcome.written else ' (already up to date)'}."
        )
