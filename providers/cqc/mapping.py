"""What a CQC location is in the register: the council it belongs to, whether it is kept, and
its type, client group and beds. Rules as data: the tables below say which CQC service type
becomes which provider type and which service user bands make a client group.
"""

import re

from providers.cqc.layouts import DIRECTORY_SERVICE_TYPES, HSCA_USER_BANDS, column_key
from providers.models import ClientGroup, ProviderType

#: The first of a location's service types in this order decides its type: a care home by
#: whether it provides nursing; a community service by its most specific service.
TYPE_ORDER = (
    ("nursing", ProviderType.CARE_HOME_NURSING),
    ("residential", ProviderType.CARE_HOME_RESIDENTIAL),
    ("extra_care", ProviderType.EXTRA_CARE_HOUSING),
    ("supported_living", ProviderType.SUPPORTED_LIVING),
    ("domiciliary", ProviderType.CARE_AT_HOME),
)

#: Words that start or end a council's formal name but not CQC's name for its area.
_PREFIXES = ("london borough of ", "royal borough of ", "the ", "city of ", "county of ")
_SUFFIXES = (" metropolitan borough council", " borough council", " city council",
             " county council", " district council", " council", " city of", " county of",
             " unitary authority", " ua")
#: Areas CQC (or a council) names differently, as normalised keys.
AREA_ALIASES = {
    "hull": "kingston upon hull",
    "durham": "county durham",
    "southend": "southend on sea",
    "bristol city": "bristol",
    "herefordshire county": "herefordshire",
    "saint helens": "st helens",
}

#: Directory specialisms (as normalised key fragments) that make a client group.
DIRECTORY_OLDER = ("over 65", "dementia")
DIRECTORY_SPECIALIST = ("learning disab", "mental health", "physical disab", "sensory",
                        "substance misuse", "eating disorder", "autism", "detained")


def area_key(name: str) -> str:
    """A local authority's name reduced so CQC's and the council's own spelling meet:
    "Halton Borough Council", "Halton" and "HALTON" are all "halton"."""
    key = column_key(name.replace("&", " and "))
    key = re.sub(r"\bsaint\b", "st", key)
    changed = True
    while changed:
        changed = False
        for prefix in _PREFIXES:
            if key.startswith(prefix) and len(key) > len(prefix):
                key, changed = key[len(prefix):], True
        for suffix in _SUFFIXES:
            if key.endswith(suffix) and len(key) > len(suffix):
                key, changed = key[: -len(suffix)], True
    return AREA_ALIASES.get(key, key)


def council_area_keys(council) -> set[str]:
    """The keys a council's own rows carry: from its name and its slug."""
    return {area_key(council.name), area_key(council.slug.replace("-", " "))}


def yes(value: str) -> bool:
    return value.strip().upper() in ("Y", "YES")


def provider_type(services: set[str]) -> str | None:
    return next((kind for key, kind in TYPE_ORDER if key in services), None)


def _client_group(older: bool, specialist: bool) -> str:
    if older and not specialist:
        return ClientGroup.OLDER_PEOPLE
    if specialist and not older:
        return ClientGroup.SPECIALIST
    return ClientGroup.MIXED


def hsca_client_group(cells: dict[str, str]) -> str:
    def any_band(names):
        return any(yes(cells.get("band:" + column_key(name.split(" - ", 1)[1]), ""))
                   for name in names)

    return _client_group(any_band(HSCA_USER_BANDS["older"]),
                         any_band(HSCA_USER_BANDS["specialist"]))


def hsca_services(cells: dict[str, str]) -> set[str]:
    services = {field.split(":", 1)[1] for field, value in cells.items()
                if field.startswith("service:") and yes(value)}
    if not yes(cells.get("care_home", "")):
        services -= {"nursing", "residential"}
    elif not services & {"nursing", "residential"}:
        services.add("residential")  # a care home registered without either service type
    return services


def directory_services(cells: dict[str, str]) -> set[str]:
    return {DIRECTORY_SERVICE_TYPES[key] for key in
            (column_key(part) for part in cells.get("service_types", "").split("|"))
            if key in DIRECTORY_SERVICE_TYPES}


def directory_client_group(cells: dict[str, str]) -> str:
    text = column_key(cells.get("specialisms", ""))
    return _client_group(any(word in text for word in DIRECTORY_OLDER),
                         any(word in text for word in DIRECTORY_SPECIALIST))


def register_row(*, name: str, location_id: str, kind: str, client_group: str,
                 beds: str | None) -> dict[str, str]:
    """The register's columns for a CQC location: only those CQC decides (the council's own,
    prime provider, run by the council, risk rating, are left as they are). `beds` None:
    the file does not say (the care directory), so a care home keeps its figure."""
    row = {"name": name, "provider_type": str(kind), "cqc_location_id": location_id,
           "client_group": str(client_group)}
    if kind in (ProviderType.CARE_HOME_NURSING, ProviderType.CARE_HOME_RESIDENTIAL):
        row["people_supported"] = ""
        if beds is not None:
            row["registered_beds"] = beds
    else:
        row["registered_beds"] = ""
    return row
