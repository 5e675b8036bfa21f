"""Read a national plan file (YAML, CSV or XLSX) into the YAML format's mapping, with the line
or row of every item, for actions.plan_imports.services (format in README, "Data formats").

A spreadsheet has one row per requirement, in order; a new theme or key area starts where its
name changes; a row with only `link_title`/`link_url` adds another link to the requirement
above. Its plan-level fields (slug, title, publisher, published, confirmation_deadline …) come
from the caller: the command's options or the upload page's fields.
"""

from dataclasses import dataclass, field
from typing import Any

import yaml
from django.utils.text import slugify

from actions.plan_imports.services import PlanIssue
from winterplan.spreadsheets import MB, TableError, read_table

MAX_BYTES = 5 * MB
MAX_ROWS = 5_000
YAML_SUFFIXES = (".yaml", ".yml")
TABLE_SUFFIXES = (".csv", ".xlsx")
COLUMNS = ("theme", "part", "key_area", "audience", "requirement", "kind", "link_title",
           "link_url")
OPTIONAL_COLUMNS = ("ref", "key_area_slug", "confirmation_letter", "column_label")
#: The plan-level fields a spreadsheet takes from outside the file.
PLAN_FIELDS = ("slug", "title", "short_title", "publisher", "published", "version",
               "last_updated", "source_url", "confirmation_deadline")
#: A spreadsheet's names for the model fields (errors name the column).
TABLE_NAMES = {
    "theme": {"title": "theme"},
    "key_area": {"title": "key_area", "slug": "key_area_slug"},
    "requirement": {"text": "requirement"},
    "link": {"title": "link_title", "url": "link_url"},
}
YAML_NAMES = {"link": {"title": "links.title", "url": "links.url"}}
YES = {"yes", "y", "true", "1"}


@dataclass
class PlanFile:
    """A plan file read: the data, the place of each item, the names of its fields, or the
    errors that stopped it being read."""

    data: dict[str, Any] = field(default_factory=dict)
    lines: dict[tuple, str] = field(default_factory=dict)
    names: dict[str, dict[str, str]] = field(default_factory=dict)
    errors: list[PlanIssue] = field(default_factory=list)
    kind: str = ""


def read_plan_file(filename: str, content: bytes, plan_fields: dict[str, Any] | None = None
                   ) -> PlanFile:
    """The plan in a YAML, CSV or XLSX file (by its name's ending); a file of another type,
    over 5 MB or over 5,000 rows is refused with a clear error."""
    name = filename.lower()
    if len(content) > MAX_BYTES:
        return _refused(f"The file is {len(content) / MB:.1f} MB: a plan file can be at most "
                        f"{MAX_BYTES // MB} MB.")
    if name.endswith(YAML_SUFFIXES):
        return read_yaml_plan(content)
    if name.endswith(TABLE_SUFFIXES):
        return read_table_plan(filename, content, plan_fields or {})
    return _refused("The file is not a plan file: upload YAML (.yaml or .yml), CSV (.csv) or "
                    "an Excel workbook (.xlsx).")


#: A NUL character (YAML "\\0") cannot be stored: PostgreSQL refuses it in text.
NUL_REFUSED = "The file holds a NUL character (\\0 or byte 0): remove it and upload again."


def _holds_nul(value) -> bool:
    """True if any key or text in the parsed YAML holds a NUL character."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False


def _refused(message: str, where: str = "file", field_name: str = "file") -> PlanFile:
    return PlanFile(errors=[PlanIssue(where, field_name, message)])


# --- YAML ---------------------------------------------------------------------------------


def read_yaml_plan(content: bytes) -> PlanFile:
    """A YAML plan with the line of every mapping, list item and key (from the loader's
    marks)."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return _refused(f"The file is not UTF-8 text (byte {error.start}).")
    loader = yaml.SafeLoader(text)
    lines: dict[tuple, str] = {}
    try:
        node = loader.get_single_node()
        if node is not None:
            _node_lines(node, (), lines, set())
        data = loader.construct_document(node) if node is not None else None
    except _AliasUsed as alias:
        return _refused("Anchors and aliases (& and *) are not accepted in a plan file: "
                        "write each item out.", alias.where)
    except RecursionError:
        return _refused("The file is nested too deeply to be a plan file.")
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "file"
        problem = getattr(error, "problem", None) or str(error)
        return _refused(f"The file is not valid YAML: {problem}.", where, "file")
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        return _refused("The file must hold a mapping (slug:, title:, themes: …) at its top.",
                        "line 1")
    count = _requirement_count(data)
    if count > MAX_ROWS:
        return _refused(f"The file has {count:,} requirements: at most {MAX_ROWS:,} can be "
                        "imported from one file.")
    if _holds_nul(data):
        return _refused(NUL_REFUSED)
    return PlanFile(data=data, lines=lines, names=YAML_NAMES, kind="YAML")


class _AliasUsed(Exception):
    def __init__(self, where: str):
        self.where = where


def _node_lines(node, path: tuple, lines: dict[tuple, str], seen: set[int]) -> None:
    """Record each item's line; an alias (a node met twice) is refused, so that the walk, and
    what is built from it, stays as large as the file."""
    if id(node) in seen:
        raise _AliasUsed(f"line {node.start_mark.line + 1}")
    seen.add(id(node))
    lines[path] = f"line {node.start_mark.line + 1}"
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                child = path + (key.value,)
                _node_lines(value, child, lines, seen)
                # A key's value is where the key is written (a value may start lines later).
                lines[child] = f"line {key.start_mark.line + 1}"
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _node_lines(item, path + (index,), lines, seen)


def _requirement_count(data: dict) -> int:
    total = 0
    for theme in data.get("themes") or []:
        for area in (theme.get("key_areas") or []) if isinstance(theme, dict) else []:
            if isinstance(area, dict) and isinstance(area.get("requirements"), list):
                total += len(area["requirements"])
    return total


# --- CSV and XLSX -------------------------------------------------------------------------


def read_table_plan(filename: str, content: bytes, plan_fields: dict[str, Any]) -> PlanFile:
    """A spreadsheet plan: one row per requirement, themes and key areas where names change."""
    try:
        rows = read_table(filename, content, COLUMNS, OPTIONAL_COLUMNS, row_limit=MAX_ROWS)
    except TableError as error:
        return PlanFile(errors=[PlanIssue(f"row {issue.row}", issue.field, issue.message)
                                for issue in error.errors])
    data: dict[str, Any] = {key: value for key, value in plan_fields.items()
                            if key in PLAN_FIELDS and value not in (None, "")}
    data["themes"] = []
    lines: dict[tuple, str] = {(key,): f"the plan's {key}" for key in PLAN_FIELDS}
    errors: list[PlanIssue] = []
    theme = area = requirement = None
    for number, row in rows:
        where = f"row {number}"
        theme_title, area_title = row.get("theme", ""), row.get("key_area", "")
        text, link_title, link_url = (row.get("requirement", ""), row.get("link_title", ""),
                                      row.get("link_url", ""))
        if (not text and (link_title or link_url) and requirement is not None
                and theme_title in ("", theme["title"]) and area_title in ("", area["title"])):
            requirement["links"].append({"title": link_title, "url": link_url})
            lines[_req_path(data, theme, area) + ("links", len(requirement["links"]) - 1)] = \
                where
            continue
        if not theme_title:
            errors.append(PlanIssue(where, "theme", "is required."))
            continue
        if not area_title:
            errors.append(PlanIssue(where, "key_area", "is required."))
            continue
        if theme is None or theme_title != theme["title"]:
            theme = {"title": theme_title, "part": row.get("part", "") or "local_authority",
                     "key_areas": []}
            data["themes"].append(theme)
            lines[("themes", len(data["themes"]) - 1)] = where
            area = None
        elif row.get("part") and row["part"] != theme["part"]:
            errors.append(PlanIssue(where, "part", f"“{row['part'][:40]}” differs from the "
                                                   f"theme's first row (“{theme['part']}”)."))
        if area is None or area_title != area["title"]:
            slug = row.get("key_area_slug", "") or slugify(area_title)[:100]
            area = {"title": area_title, "slug": slug, "requirements": []}
            if row.get("column_label"):
                area["column_label"] = row["column_label"]
            theme["key_areas"].append(area)
            lines[("themes", len(data["themes"]) - 1, "key_areas",
                   len(theme["key_areas"]) - 1)] = where
        requirement = {
            "text": text,
            "audience": row.get("audience", ""),
            "kind": row.get("kind", "") or "bullet",
            "links": [{"title": link_title, "url": link_url}] if (link_title or link_url)
            else [],
        }
        if row.get("ref"):
            requirement["ref"] = row["ref"]
        if row.get("confirmation_letter", "").strip().lower() in YES:
            requirement["confirmation_letter"] = True
        area["requirements"].append(requirement)
        path = _req_path(data, theme, area)
        lines[path] = where
        if requirement["links"]:
            lines[path + ("links", 0)] = where
    if not rows:
        errors.append(PlanIssue("row 2", "file", "the file has no requirements."))
    return PlanFile(data=data, lines=lines, names=TABLE_NAMES, errors=errors,
                    kind="XLSX" if filename.lower().endswith(".xlsx") else "CSV")


def _req_path(data, theme, area) -> tuple:
    t = len(data["themes"]) - 1
    a = len(theme["key_areas"]) - 1
    return ("themes", t, "key_areas", a, "requirements", len(area["requirements"]) - 1)
