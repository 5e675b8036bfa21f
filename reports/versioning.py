"""Which changes raise which council's data version (winterplan.versions), so a cached
document is found by a cheap version lookup instead of rebuilding and hashing its data.

Rules as data: a model's label -> (the instance's attribute holding a related row's id, that
row's model, the lookup from that row to the council ids). Every watched save or delete bumps
its councils' versions in the same transaction as the change (a reader never sees new data
with an old version). Bulk writes that send no signals call `winterplan.versions.bump`
themselves (see README, "Documents").
"""

import logging

from django.apps import apps
from django.db.models.signals import post_delete, post_save

from winterplan import versions

logger = logging.getLogger(__name__)

_PLAN = ("local_plan_id", "actions.LocalPlan", "council_id")
_NATIONAL = "local_plans__council_id"

#: label -> (attribute, model the attribute points to, lookup to council ids from that model)
RULES: dict[str, tuple[str, str, str]] = {
    # The council itself, its teams (documents print team names).
    "winterplan.council": ("pk", "winterplan.Council", "pk"),
    "winterplan.team": ("council_id", "winterplan.Council", "pk"),
    # National plan wording: every council with a plan of that national plan.
    "actions.nationalplan": ("pk", "actions.NationalPlan", _NATIONAL),
    "actions.theme": ("national_plan_id", "actions.NationalPlan", _NATIONAL),
    "actions.keyarea": ("national_plan_id", "actions.NationalPlan", _NATIONAL),
    "actions.requirement": ("key_area_id", "actions.KeyArea", "national_plan__" + _NATIONAL),
    "actions.requirementlink": ("requirement_id", "actions.Requirement",
                                "key_area__national_plan__" + _NATIONAL),
    # The local plan and what it holds.
    "actions.localplan": ("council_id", "winterplan.Council", "pk"),
    "actions.localkeyarea": _PLAN,
    "actions.requirementassessment": _PLAN,
    "actions.localaction": ("local_key_area_id", "actions.LocalKeyArea",
                            "local_plan__council_id"),
    "actions.commentary": ("local_key_area_id", "actions.LocalKeyArea",
                           "local_plan__council_id"),
    "actions.actionlink": ("action_id", "actions.LocalAction",
                           "local_key_area__local_plan__council_id"),
    "actions.commentarylink": ("commentary_id", "actions.Commentary",
                               "local_key_area__local_plan__council_id"),
    # The committee report and the letter.
    "reports.committeereport": _PLAN,
    "reports.dhscletter": _PLAN,
    "reports.reportsection": ("report_id", "reports.CommitteeReport", "local_plan__council_id"),
    "reports.appendixlink": ("report_id", "reports.CommitteeReport", "local_plan__council_id"),
    # Providers: the register, continuity plans, returns, risk log (highlight report, plan
    # documents' provider figures) and the Infection Control Fund schedule.
    "providers.provider": ("council_id", "winterplan.Council", "pk"),
    "providers.businesscontinuityplan": ("provider_id", "providers.Provider", "council_id"),
    "providers.dailyreturn": ("provider_id", "providers.Provider", "council_id"),
    "providers.providerrisk": ("provider_id", "providers.Provider", "council_id"),
    "providers.risklogassessment": ("council_id", "winterplan.Council", "pk"),
    "providers.escalationrule": ("council_id", "winterplan.Council", "pk"),
    "providers.icfround": ("council_id", "winterplan.Council", "pk"),
    "providers.icftranche": ("round_id", "providers.IcfRound", "council_id"),
    "providers.icfshare": ("round_id", "providers.IcfRound", "council_id"),
    "providers.icfallocation": ("tranche_id", "providers.IcfTranche", "round__council_id"),
}


def councils_for(label: str, ids) -> set[int]:
    """The councils whose documents show rows of `label` related to these ids (the ids are
    of the model the rule's attribute points to)."""
    _, target, lookup = RULES[label.lower()]
    ids = [pk for pk in ids if pk is not None]
    if not ids:
        return set()
    if target == "winterplan.Council":
        return set(ids)
    model = apps.get_model(target)
    return set(model._default_manager.filter(pk__in=ids).exclude(**{f"{lookup}__isnull": True})
               .values_list(lookup, flat=True).distinct())


def bump_for(model, ids) -> None:
    """Bump the councils of rows of `model` whose rule attribute has these values (for bulk
    writes: e.g. `bump_for(LocalAction, key_area_ids)`)."""
    versions.bump(councils_for(model._meta.label_lower, ids))


def _changed(sender, instance, **kwargs) -> None:
    if kwargs.get("raw"):
        return  # loaddata: the fixture loader bumps nothing; a fresh load has no cache
    attribute, _, _ = RULES[instance._meta.label_lower]
    versions.bump(councils_for(instance._meta.label_lower, [getattr(instance, attribute)]))


def connect_signals() -> None:
    """Bump on every watched save and delete (called from ReportsConfig.ready)."""
    for label in RULES:
        model = apps.get_model(label)
        post_save.connect(_changed, sender=model, dispatch_uid=f"reports-version-save-{label}")
        post_delete.connect(_changed, sender=model,
                            dispatch_uid=f"reports-version-delete-{label}")
