"""Fictitious CQC files in the published layouts, for fixtures, tests and the benchmark.

The HSCA column list is the 2026 editions' 122 columns in CQC's order; the care directory's
is its 15 columns. Every name, address and ID written here is made up.
"""

import csv
import io
import random
import zipfile
from collections.abc import Iterable
from xml.sax.saxutils import escape, quoteattr

HSCA_COLUMNS = (
    "Location ID", "Location HSCA start date", "Dormant (Y/N)", "Care home?", "Location Name",
    "Location ODS Code", "Location Telephone Number", "Registered manager",
    "Location Web Address", "Care homes beds", "Location Type/Sector",
    "Location Inspection Directorate", "Location Primary Inspection Category",
    "Location Latest Overall Rating", "Publication Date", "Inherited Rating (Y/N)",
    "Location Region", "Location NHS Region", "Location Local Authority",
    "Location ONSPD CCG Code", "Location ONSPD CCG", "Location Commissioning CCG Code",
    "Location Commissioning CCG", "Location Street Address", "Location Address Line 2",
    "Location City", "Location County", "Location Postal Code", "Location PAF ID",
    "Location UPRN ID", "Location Latitude", "Location Longitude",
    "Location Parliamentary Constituency", "Brand ID", "Brand Name",
    "Provider Companies House Number", "Provider Charity Number", "Provider ID",
    "Provider Name", "Provider HSCA start date", "Provider Type/Sector",
    "Provider Inspection Directorate", "Provider Primary Inspection Category",
    "Provider Ownership Type", "Provider Telephone Number", "Provider Web Address",
    "Provider Street Address", "Provider Address Line 2", "Provider City", "Provider County",
    "Provider Postal Code", "Provider PAF ID", "Provider UPRN ID", "Provider Local Authority",
    "Provider Region", "Provider NHS Region", "Provider Latitude", "Provider Longitude",
    "Provider Parliamentary Constituency", "Provider Nominated Individual Name",
    "Provider Main Partner Name",
    "Regulated activity - Accommodation for persons who require nursing or personal care",
    "Regulated activity - Accommodation for persons who require treatment for substance "
    "misuse",
    "Regulated activity - Assessment or medical treatment for persons detained under the "
    "Mental Health Act 1983",
    "Regulated activity - Diagnostic and screening procedures",
    "Regulated activity - Family planning",
    "Regulated activity - Management of supply of blood and blood derived products",
    "Regulated activity - Maternity and midwifery services",
    "Regulated activity - Nursing care", "Regulated activity - Personal care",
    "Regulated activity - Services in slimming clinics",
    "Regulated activity - Surgical procedures",
    "Regulated activity - Termination of pregnancies",
    "Regulated activity - Transport services, triage and medical advice provided remotely",
    "Regulated activity - Treatment of disease, disorder or injury",
    "Service type - Acute services with overnight beds",
    "Service type - Acute services without overnight beds / listed acute services with or "
    "without overnight beds",
    "Service type - Ambulance service", "Service type - Blood and Transplant service",
    "Service type - Care home service with nursing",
    "Service type - Care home service without nursing",
    "Service type - Community based services for people who misuse substances",
    "Service type - Community based services for people with a learning disability",
    "Service type - Community based services for people with mental health needs",
    "Service type - Community health care services - Independent Midwives",
    "Service type - Community health care services - Nurses Agency only",
    "Service type - Community healthcare service", "Service type - Dental service",
    "Service type - Diagnostic and/or screening service",
    "Service type - Diagnostic and/or screening service - single handed sessional providers",
    "Service type - Doctors consultation service", "Service type - Doctors treatment service",
    "Service type - Domiciliary care service", "Service type - Extra Care housing services",
    "Service type - Hospice services", "Service type - Hospice services at home",
    "Service type - Hospital services for people with mental health needs, learning "
    "disabilities and problems with substance misuse",
    "Service type - Hyperbaric Chamber", "Service type - Long term conditions services",
    "Service type - Mobile doctors service", "Service type - Prison Healthcare Services",
    "Service type - Rehabilitation services", "Service type - Remote clinical advice service",
    "Service type - Residential substance misuse treatment and/or rehabilitation service",
    "Service type - Shared Lives", "Service type - Specialist college service",
    "Service type - Supported living service", "Service type - Urgent care services",
    "Service user band - Children 0-18 years", "Service user band - Dementia",
    "Service user band - Learning disabilities or autistic spectrum disorder",
    "Service user band - Mental Health", "Service user band - Older People",
    "Service user band - People detained under the Mental Health Act",
    "Service user band - People who misuse drugs and alcohol",
    "Service user band - People with an eating disorder",
    "Service user band - Physical Disability", "Service user band - Sensory Impairment",
    "Service user band - Whole Population", "Service user band - Younger Adults",
    "Location Dual Registered", "Primary ID (Dual registration locations)",
)

DIRECTORY_COLUMNS = (
    "Name", "Also known as", "Address", "Postcode", "Phone number",
    "Service's website (if available)", "Service types", "Date of latest check",
    "Specialisms/services", "Provider name", "Local authority", "Region", "Location URL",
    "CQC Location ID (for office use only)", "CQC Provider ID (for office use only)",
)
DIRECTORY_PREAMBLE = ("CQC locations", "This data was produced on 01 December 2026", "", "")

README_ROWS = (
    ("HSCA Active Locations (fictitious sample)",),
    ("Source: fictitious data in the layout of CQC's care directory with filters",),
    ("Filter on Y in the Service type and Service user band columns.",),
)

#: Local authorities for the synthetic national file (a few; the rest are made up).
SAMPLE_AUTHORITIES = ("Halton", "Cheshire East", "Warrington", "Knowsley", "St. Helens")

_STREETS = ("Mill Lane", "Church Road", "Station Road", "Park Avenue", "High Street")
_WORDS = ("Oak", "Ash", "Elm", "Birch", "Rowan", "Willow", "Hazel", "Maple", "Cedar", "Holly")
_PLACES = ("House", "Lodge", "Court", "Grange", "Manor", "View", "Gardens", "Hall")


def hsca_row(**values) -> dict[str, str]:
    """One HSCA row: blank everywhere but `values` (keys are column names)."""
    unknown = set(values) - set(HSCA_COLUMNS)
    if unknown:
        raise ValueError(f"not HSCA columns: {sorted(unknown)}")
    return dict.fromkeys(HSCA_COLUMNS, "") | values


def national_rows(count: int, *, seed: int = 1) -> Iterable[dict[str, str]]:
    """`count` made-up HSCA rows: a national file's mix of care homes, home care and
    healthcare locations over many local authorities."""
    rng = random.Random(seed)
    authorities = (*SAMPLE_AUTHORITIES, *(f"Borough {number}" for number in range(150)))
    for number in range(count):
        kind = rng.random()
        care_home = kind < 0.13
        asc = kind < 0.5
        row = {
            "Location ID": f"1-{100000000 + number}",
            "Location HSCA start date": "2015-03-0" + str(1 + number % 9),
            "Dormant (Y/N)": "Y" if rng.random() < 0.03 else "N",
            "Care home?": "Y" if care_home else "N",
            "Location Name": f"{rng.choice(_WORDS)} {rng.choice(_PLACES)} {number}",
            "Location Telephone Number": f"0151 {number % 1000000:06d}",
            "Registered manager": f"Manager {number}",
            "Care homes beds": str(rng.randint(5, 90)) if care_home else "",
            "Location Type/Sector": "Social Care Org" if asc else "Primary Dental Care",
            "Location Inspection Directorate": ("Adult social care" if asc
                                                else "Primary medical services"),
            "Location Primary Inspection Category": "Residential social care" if care_home
            else "Community based adult social care services",
            "Location Latest Overall Rating": rng.choice(("Good", "Requires improvement", "")),
            "Location Region": "North West",
            "Location Local Authority": rng.choice(authorities),
            "Location Street Address": f"{number % 200} {rng.choice(_STREETS)}",
            "Location City": "Sampleton",
            "Location Postal Code": f"WA{number % 20} {number % 10}AB",
            "Location Latitude": "53.3", "Location Longitude": "-2.7",
            "Provider ID": f"1-{200000000 + number // 3}",
            "Provider Name": f"{rng.choice(_WORDS)} Care Ltd",
            "Provider Local Authority": rng.choice(authorities),
        }
        if care_home:
            nursing = rng.random() < 0.4
            row["Service type - Care home service with nursing"] = "Y" if nursing else ""
            row["Service type - Care home service without nursing"] = "" if nursing else "Y"
            row["Service user band - Older People"] = "Y"
            row["Service user band - Dementia"] = "Y" if rng.random() < 0.6 else ""
        elif asc:
            row["Service type - Domiciliary care service"] = "Y"
            row["Service type - Supported living service"] = "Y" if rng.random() < 0.2 else ""
            row["Service user band - Younger Adults"] = "Y"
        else:
            row["Service type - Dental service"] = "Y"
            row["Service user band - Whole Population"] = "Y"
        yield hsca_row(**row)


def hsca_xlsx(rows: Iterable[dict[str, str]], *, sheet: str = "HSCA_Active_Locations",
              readme: bool = True, columns=HSCA_COLUMNS) -> bytes:
    """An .xlsx workbook: a README sheet, then the data sheet (openpyxl, write-only)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    if readme:
        about = workbook.create_sheet("README")
        for line in README_ROWS:
            about.append(line)
    data = workbook.create_sheet(sheet)
    data.append(list(columns))
    for row in rows:
        data.append([row.get(column, "") or None for column in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


_ODS_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" \
manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:version="1.2" \
manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"""
_ODS_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content '
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
    "<office:body><office:spreadsheet>"
)


def _ods_table(name: str, rows: Iterable[Iterable[str]]):
    yield f"<table:table table:name={quoteattr(name)}>"
    for row in rows:
        cells = []
        blanks = 0
        for value in row:
            if not value:
                blanks += 1
                continue
            if blanks:
                cells.append(f'<table:table-cell table:number-columns-repeated="{blanks}"/>')
                blanks = 0
            if value.isdigit() and len(value) < 9:
                cells.append(f'<table:table-cell office:value-type="float" '
                             f'office:value="{value}"><text:p>{value}</text:p>'
                             "</table:table-cell>")
            else:
                cells.append(f'<table:table-cell office:value-type="string"><text:p>'
                             f"{escape(value)}</text:p></table:table-cell>")
        yield "<table:table-row>" + "".join(cells) + "</table:table-row>\n"
    yield "</table:table>"


def hsca_ods(rows: Iterable[dict[str, str]], *, sheet: str = "HSCA_Active_Locations",
             readme: bool = True, columns=HSCA_COLUMNS) -> bytes:
    """An .ods workbook like CQC's: a README sheet, then the data sheet, streamed out."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"),
                         "application/vnd.oasis.opendocument.spreadsheet",
                         compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", _ODS_MANIFEST)
        with archive.open("content.xml", "w", force_zip64=True) as content:
            content.write(_ODS_HEAD.encode())
            if readme:
                for part in _ods_table("README", README_ROWS):
                    content.write(part.encode())
            data = ([row.get(column, "") for column in columns] for row in rows)
            for part in _ods_table(sheet, [list(columns)]):
                if part.startswith("</table:table>"):
                    break
                content.write(part.encode())
            for part in _ods_table(sheet, data):
                if part.startswith("<table:table "):
                    continue
                content.write(part.encode())
            content.write(b"</office:spreadsheet></office:body></office:document-content>")
    return buffer.getvalue()


def directory_row(**values) -> dict[str, str]:
    unknown = set(values) - set(DIRECTORY_COLUMNS)
    if unknown:
        raise ValueError(f"not care directory columns: {sorted(unknown)}")
    return dict.fromkeys(DIRECTORY_COLUMNS, "") | values


def directory_csv(rows: Iterable[dict[str, str]], *, encoding: str = "cp1252",
                  preamble=DIRECTORY_PREAMBLE) -> bytes:
    """The care directory CSV as CQC publishes it: four lines, the header, the rows."""
    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator="\r\n")
    for line in preamble:
        writer.writerow([line] if line else [])
    writer.writerow(DIRECTORY_COLUMNS)
    for row in rows:
        writer.writerow([row.get(column, "") for column in DIRECTORY_COLUMNS])
    return text.getvalue().encode(encoding)


def national_directory_rows(count: int, *, seed: int = 1) -> Iterable[dict[str, str]]:
    """`count` made-up care directory rows (from the same mix as `national_rows`)."""
    for row in national_rows(count, seed=seed):
        if row["Service type - Care home service with nursing"]:
            types = "Nursing homes"
        elif row["Care home?"] == "Y":
            types = "Residential homes"
        elif row["Service type - Domiciliary care service"]:
            types = "Homecare agencies"
        else:
            types = "Dentist"
        yield directory_row(**{
            "Name": row["Location Name"], "Address": row["Location Street Address"],
            "Postcode": row["Location Postal Code"], "Service types": types,
            "Specialisms/services": "Caring for adults over 65 yrs" if row["Care home?"] == "Y"
            else "Caring for adults under 65 yrs",
            "Provider name": row["Provider Name"],
            "Local authority": row["Location Local Authority"], "Region": "North West",
            "CQC Location ID (for office use only)": row["Location ID"],
            "CQC Provider ID (for office use only)": row["Provider ID"],
        })


_XLSX_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_XLSX_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
        'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
        '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
        '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/worksheets/'
        'sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
        'worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
        f'{_XLSX_REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_XLSX_REL_NS}/worksheet" '
        'Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_XLSX_REL_NS}/worksheet" '
        'Target="worksheets/sheet2.xml"/>'
        f'<Relationship Id="rId3" Type="{_XLSX_REL_NS}/sharedStrings" '
        'Target="sharedStrings.xml"/></Relationships>'),
}


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def hsca_xlsx_shared_strings(rows: Iterable[dict[str, str]], *,
                             sheet: str = "HSCA_Active_Locations") -> bytes:
    """An .xlsx as Excel writes one: text in the shared strings part (which openpyxl holds in
    memory whole), the data sheet streamed out row by row. For the benchmark."""
    strings: dict[str, int] = {}
    letters = [_column_letter(index) for index in range(len(HSCA_COLUMNS))]
    buffer = io.BytesIO()

    def shared(value: str) -> int:
        return strings.setdefault(value, len(strings))

    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in _XLSX_PARTS.items():
            archive.writestr(name, text)
        archive.writestr("xl/workbook.xml", (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook {_XLSX_NS} xmlns:r="'
            f'{_XLSX_REL_NS}"><sheets><sheet name="README" sheetId="1" r:id="rId1"/>'
            f'<sheet name={quoteattr(sheet)} sheetId="2" r:id="rId2"/></sheets></workbook>'))
        archive.writestr("xl/worksheets/sheet1.xml", (
            f'<?xml version="1.0" encoding="UTF-8"?><worksheet {_XLSX_NS}><sheetData>'
            + "".join(f'<row r="{n}"><c r="A{n}" t="s"><v>{shared(line[0])}</v></c></row>'
                      for n, line in enumerate(README_ROWS, start=1))
            + "</sheetData></worksheet>"))
        with archive.open("xl/worksheets/sheet2.xml", "w", force_zip64=True) as part:
            part.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet {_XLSX_NS}>'
                       "<sheetData>".encode())
            header = dict(zip(HSCA_COLUMNS, HSCA_COLUMNS, strict=True))
            for number, row in enumerate(_with_header(header, rows), start=1):
                cells = []
                for index, column in enumerate(HSCA_COLUMNS):
                    value = row.get(column, "")
                    if not value:
                        continue
                    reference = f"{letters[index]}{number}"
                    if number > 1 and value.isdigit() and len(value) < 9:
                        cells.append(f'<c r="{reference}"><v>{value}</v></c>')
                    else:
                        cells.append(f'<c r="{reference}" t="s"><v>{shared(value)}</v></c>')
                part.write(f'<row r="{number}">{"".join(cells)}</row>'.encode())
            part.write(b"</sheetData></worksheet>")
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(f'<?xml version="1.0" encoding="UTF-8"?><sst {_XLSX_NS} '
                       f'uniqueCount="{len(strings)}">'.encode())
            for text in strings:
                part.write(f"<si><t>{escape(text)}</t></si>".encode())
            part.write(b"</sst>")
    return buffer.getvalue()


def _with_header(header, rows):
    yield header
    yield from rows
