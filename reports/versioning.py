"""Which changes raise which part of which council's data version (winterplan.versions), so
a cached document or page is found by a cheap version lookup instead of rebuilding its data.

Rules as data: a model's label -> (the instance's attribute holding a related row's id, that
row's model, the lookup from that row to the council ids, the part(s) of the version it
raises). Every watched save or delete bumps its councils' versions in the same transaction as
the change (a reader never sees new data with an old version). Bulk writes that send no
signals call `winterplan.versions.bump` (or `bump_for`) themselves (see README, "Documents").
"""

import logging

from django.apps import apps
from django.db.models.signals import post_delete, post_save

from winterplan import versions

logger = logging.getLogger(__name__)

PLAN, PROVIDERS, BOTH = versions.PLAN, versions.PROVIDERS, versions.BOTH
_PLAN = ("local_plan_id", "actions.LocalPlan", "council_id", PLAN)
_NATIONAL = "local_plans__council_id"

#: label -> (attribute, model the attribute points to, lookup to council ids from that model,
#: the part or parts of the version raised)
RULES: dict[str, tuple[str, str, str, str | tuple[str, ...]]] = {
    # The council itself, its teams (documents print team names), its people (pages print
    # an action's owner and who entered a return: a changed name shows at once).
    "winterplan.council": ("pk", "winterplan.Council", "pk", BOTH),
    "winterplan.team": ("council_id", "winterplan.Council", "pk", BOTH),
    "winterplan.user": ("council_id", "winterplan.Council", "pk", BOTH),
    # National plan wording: every council with a plan of that national plan.
    "actions.nationalplan": ("pk", "actions.NationalPlan", _NATIONAL, PLAN),
    "actions.theme": ("national_plan_id", "actions.NationalPlan", _NATIONAL, PLAN),
    "actions.keyarea": ("national_plan_id", "actions.NationalPlan", _NATIONAL, PLAN),
    "actions.requirement": ("key_area_id", "actions.KeyArea", "national_plan__" + _NATIONAL,
                            PLAN),
    "actions.requirementlink": ("requirement_id", "actions.Requirement",
                                "key_area__national_plan__" + _NATIONAL, PLAN),
    # The local plan and what it holds.
    "actions.localplan": ("council_id", "winterplan.Council", "pk", PLAN),
    "actions.localkeyarea": _PLAN,
    "actions.requirementassessment": _PLAN,
    "actions.localaction": ("local_key_area_id", "actions.LocalKeyArea",
                            "local_plan__council_id", PLAN),
    "actions.commentary": ("local_key_area_id", "actions.LocalKeyArea",
                           "local_plan__council_id", PLAN),
    "actions.actionlink": ("action_id", "actions.LocalAction",
                           "local_key_area__local_plan__council_id", PLAN),
    "actions.commentarylink": ("commentary_id", "actions.Commentary",
                               "local_key_area__local_plan__council_id", PLAN),
    # The committee report and the letter.
    "reports.committeereport": _PLAN,
    "reports.dhscletter": _PLAN,
    "reports.reportsection": ("report_id", "reports.CommitteeReport", "local_plan__council_id",
                              PLAN),
    "reports.appendixlink": ("report_id", "reports.CommitteeReport", "local_plan__council_id",
                             PLAN),
    # Providers: the register, continuity plans, returns, risk log (highlight report, plan
    # documents' provider figures) and the Infection Control Fund schedule. None of these is
    # shown on a plan page; plan documents that show them are keyed by both parts.
    "providers.provider": ("council_id", "winterplan.Council", "pk", PROVIDERS),
    "providers.businesscontinuityplan": ("provider_id", "providers.Provider", "council_id",
                                         PROVIDERS),
    "providers.dailyreturn": ("provider_id", "providers.Provider", "council_id", PROVIDERS),
    "providers.providerrisk": ("provider_id", "providers.Provider", "council_id", PROVIDERS),
    "providers.risklogassessment": ("council_id", "winterplan.Council", "pk", PROVIDERS),
    "providers.escalationrule": ("council_id", "winterplan.Council", "pk", PROVIDERS),
    "providers.icfround": ("council_id", "winterplan.Council", "pk", PROVIDERS),
    "providers.icftranche": ("round_id", "providers.IcfRound", "council_id", PROVIDERS),
    "providers.icfshare": ("round_id", "providers.IcfRound", "council_id", PROVIDERS),
    "providers.icfallocation": ("tranche_id", "providers.IcfTranche", "round__council_id",
                                PROVIDERS),
}


def councils_for(label: str, ids) -> set[int]:
    """The councils whose documents show rows of `label` related to these ids (the ids are
    of the model the rule's attribute points to)."""
    _, target, lookup, _ = RULES[label.lower()]
    ids = [pk for pk in ids if pk is not None]
    if not ids:
        return set()
    if target == "winterplan.Council":
        return set(ids)
    model = apps.get_model(target)
    return set(model._default_manager.filter(pk__in=ids).exclude(**{f"{lookup}__isnull": True})
               .values_list(lookup, flat=True).distinct())


def bump_for(model, ids) -> None:
    """Bump the councils of rows of `model` whose rule attribute has these values, in the
    rule's part (for bulk writes: e.g. `bump_for(LocalAction, key_area_ids)`)."""
    label = model._meta.label_lower
    versions.bump(councils_for(label, ids), RULES[label][3])


#: Saves of only these fields change nothing any page or document shows (a sign-in records
#: its time and may rehash the password): they bump nothing.
UNSHOWN_FIELDS: dict[str, frozenset[str]] = {
    "winterplan.user": frozenset({"last_login", "password"}),
}


def _changed(sender, instance, **kwargs) -> None:
    if kwargs.get("raw"):
        return  # loaddata: the fixture loader bumps nothing; a fresh load has no cache
    fields = kwargs.get("update_fields")
    unshown = UNSHOWN_FIELDS.get(instance._meta.label_lower)
    if fields and unshown and set(fields) <= unshown:
        return
    attribute, _, _, parts = RULES[instance._meta.label_lower]
    versions.bump(councils_for(instance._meta.label_lower, [getattr(instance, attribute)]),
                  parts)


def connect_signals() -> None:
    """Bump on every watched save and delete (called from ReportsConfig.ready)."""
    for label in RULES:
        model = apps.get_model(label)
        post_save.connect(_changed, sender=model, dispatch_uid=f"reports-version-save-{label}")
        post_delete.connect(_changed, sender=model,
                            dispatch_uid=f"reports-version-delete-{label}")
