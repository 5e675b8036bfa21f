"""Requirement mapping files (last winter's ref → this winter's), in CSV/XLSX or YAML.

Like CISO Assistant's mapping sets, a mapping names pairs of references; here the columns are
`old_ref` and `new_ref` (a spreadsheet) or a `mappings:` list of `{old_ref, new_ref}` items
(YAML). Every error names its row or line and field.
"""

from dataclasses import dataclass, field

import yaml

from winterplan.spreadsheets import MB, TableError, read_table

MAX_BYTES = 5 * MB
MAX_ROWS = 5_000
SUFFIXES = (".csv", ".xlsx", ".yaml", ".yml")


@dataclass
class Mapping:
    """old ref → (new ref, where in the file it was given)."""

    pairs: dict[str, tuple[str, str]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def new_ref(self, old_ref: str) -> str | None:
        pair = self.pairs.get(old_ref)
        return pair[0] if pair else None


def read_mapping(filename: str, content: bytes) -> Mapping:
    """The pairs of a mapping file; a file of another type, over 5 MB or 5,000 rows, or with a
    blank or repeated old ref, gives errors naming the row or line and field."""
    name = filename.lower()
    if not name.endswith(SUFFIXES):
        return Mapping(errors=[f"{filename}: a mapping file is CSV, XLSX or YAML "
                               "(.csv, .xlsx, .yaml)."])
    if len(content) > MAX_BYTES:
        return Mapping(errors=[f"{filename}: the file is {len(content) / MB:.1f} MB; a mapping "
                               f"file can be at most {MAX_BYTES // MB} MB."])
    if name.endswith((".yaml", ".yml")):
        return _read_yaml(content)
    try:
        rows = read_table(filename, content, ("old_ref", "new_ref"), row_limit=MAX_ROWS)
    except TableError as error:
        return Mapping(errors=[str(item) for item in error.errors])
    return _collect((f"Row {number}", cells.get("old_ref", ""), cells.get("new_ref", ""))
                    for number, cells in rows)


def _read_yaml(content: bytes) -> Mapping:
    try:
        node = yaml.compose(content.decode("utf-8-sig"))
        data = yaml.safe_load(content.decode("utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        return Mapping(errors=[f"The file is not readable YAML ({error})."])
    if not isinstance(data, dict) or not isinstance(data.get("mappings"), list):
        return Mapping(errors=["Line 1, mappings: the file needs a “mappings:” list of "
                               "{old_ref, new_ref} items."])
    if len(data["mappings"]) > MAX_ROWS:
        return Mapping(errors=[f"The file has {len(data['mappings']):,} mappings: at most "
                               f"{MAX_ROWS:,}."])
    items_node = next(value for key, value in node.value if key.value == "mappings")
    entries = []
    for item, item_node in zip(data["mappings"], items_node.value, strict=False):
        where = f"Line {item_node.start_mark.line + 1}"
        if not isinstance(item, dict):
            entries.append((where, "", ""))
            continue
        entries.append((where, str(item.get("old_ref") or "").strip(),
                        str(item.get("new_ref") or "").strip()))
    return _collect(entries)


def _collect(entries) -> Mapping:
    mapping = Mapping()
    for where, old, new in entries:
        if not old:
            mapping.errors.append(f"{where}, old_ref: give last winter's reference.")
        elif not new:
            mapping.errors.append(f"{where}, new_ref: give this winter's reference for “{old}”.")
        elif old in mapping.pairs:
            mapping.errors.append(f"{where}, old_ref: “{old}” is mapped already "
                                  f"({mapping.pairs[old][1]}).")
        else:
            mapping.pairs[old] = (new, where)
    return mapping
