"""Hostile input for the fuzzers, the forms a page offers, and the checks every answer passes.

`hostile_text()` mixes fixed attacks (markup, `javascript:`/`file:` links, formulas, NUL,
100,000 characters, dates at the edges, huge and negative numbers) with generated text.
`page_forms()` reads a page's POST forms as a browser would submit them, so a fuzzer drives
the real form (its version, management form and choices) rather than a hand-kept copy.
"""

import datetime
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

#: Few examples each, no deadline: the suite stays quick on a shared machine.
FEW = settings(max_examples=25, deadline=None, database=None,
               suppress_health_check=[HealthCheck.function_scoped_fixture,
                                      HealthCheck.too_slow])

MARKUP = ['<script>fuzz()</script>', '"><img src=x onerror=fuzz()>', "<b data-fuzz>bold</b>",
          "' onmouseover='fuzz()", '<a href="javascript:fuzz()">x</a>',
          '<img src="file:///etc/passwd">', '<link rel="attachment" href="file:///etc/passwd">']
URLS = ["javascript:fuzz()", "JaVaScRiPt:fuzz()", " javascript:fuzz()", "file:///etc/passwd",
        "data:text/html,<script>fuzz()</script>", "http://127.0.0.1:9/", "ftp://example.org/",
        "https://example.org/<script>fuzz()</script>", "https://example.org/\x00"]
FORMULAS = ['=HYPERLINK("http://example.org","click")', "=1+1", "+1+1", "-1+1", "@SUM(A1)",
            "\t=1", "=cmd|' /C calc'!A0"]
NUMBERS = ["99999999999999999999999", "9223372036854775808", "-1", "-99999999999999999999",
           "1e308", "1e309", "NaN", "inf", "-0", "0x10", "١٢٣", "1,000", "0.0000001",
           "10" * 30, "1_000"]
DATES = ["01/01/0001", "31/12/9999", "29/02/2021", "29/02/2024", "00/00/0000", "32/01/2021",
         "0001-01-01", "9999-12-31", "1/1/1", "31/12/99999", "29/02/1900", "01/13/2021"]
ODD = ["\x00", "a\x00b", "\u202eevil", "\u200b", "\ufeff", "e\u0301", "𝕳𝖊𝖑𝖑𝖔", "😀" * 50,
       "\r\n\r\n", " ", "", "\x7f", "\x00" * 3, "İı", "\u0085", "\\", "%s%n", "{{ 7|add:1 }}",
       "{% debug %}", "'; DROP TABLE x; --"]
LONG = ["x" * 100_000, "é" * 20_000, "<b data-fuzz>" * 2_000]
FIXED = MARKUP + URLS + FORMULAS + NUMBERS + DATES + ODD + LONG


def _uk(day: datetime.date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


#: Hostile text short enough to pass a field's validation, so that it is saved and shown.
STORABLE = MARKUP + URLS + FORMULAS + ODD[:-6] + ["x" * 100_000]


def storable_text():
    """Text that a text field may well accept and store."""
    return st.one_of(st.sampled_from(STORABLE), st.text(min_size=1, max_size=40))


def hostile_text():
    """One value a person (or an attacker) could type into any field."""
    return st.one_of(
        st.sampled_from(FIXED),
        st.text(max_size=40),
        st.dates().map(_uk),
        st.integers(min_value=-10**30, max_value=10**30).map(str),
    )


#: What must never appear in a page: stored markup rendered as markup, or a link that runs
#: script or reads a file.
RENDERED_MARKUP = re.compile(
    r"<script>fuzz|<img src=x onerror|<b data-fuzz|onmouseover='fuzz|<link rel=\"attachment"
    r"|<img src=\"file:|(?:href|src)\s*=\s*[\"']?\s*(?:javascript|file|data):",
    re.IGNORECASE,
)


def assert_escaped(response) -> None:
    """The page shows nothing typed into it as markup."""
    if "html" not in response.get("Content-Type", ""):
        return
    html = response.content.decode("utf-8", "replace")
    found = RENDERED_MARKUP.search(html)
    assert found is None, (response.request["PATH_INFO"],
                           html[max(0, found.start() - 200):found.end() + 200])


@dataclass
class Form:
    action: str
    #: (name, value) pairs as a browser submits them, in page order.
    fields: list[tuple[str, str]] = field(default_factory=list)
    #: Named submit buttons (a browser sends only the one pressed).
    buttons: list[tuple[str, str]] = field(default_factory=list)
    hidden: set[str] = field(default_factory=set)
    files: list[str] = field(default_factory=list)
    choices: dict[str, list[str]] = field(default_factory=dict)
    checkboxes: set[str] = field(default_factory=set)
    #: Fields a person types free text into (text inputs and text areas).
    texts: set[str] = field(default_factory=set)

    @property
    def names(self) -> list[str]:
        return sorted(({name for name, _ in self.fields} | set(self.choices)) - self.hidden)

    def chosen(self) -> dict:
        """The first option of every list and radio group the page offers unchosen, as a
        person filling the form in picks one (boxes stay unticked)."""
        given = dict(self.fields)
        return {name: next((c for c in choices if c), "")
                for name, choices in self.choices.items()
                if name not in self.checkboxes and not given.get(name)}

    def data(self, overrides: dict, button=None, base: dict | None = None) -> dict:
        """The form as submitted with `overrides` typed over its fields (and over `base`, the
        values that make it valid where the page offers it empty)."""
        data: dict[str, list[str]] = {}
        for name, value in self.fields:
            data.setdefault(name, []).append(value)
        for name, value in (base or {}).items():
            data[name] = [value]
        for name, value in overrides.items():
            data[name] = [value]
        if button:
            data[button[0]] = [button[1]]
        return data


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: str | None = None
        self.textarea: str | None = None
        self.text = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            if (attrs.get("method") or "get").lower() == "post":
                self.form = Form(action=attrs.get("action") or "")
                self.forms.append(self.form)
            return
        if self.form is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            value = attrs.get("value") or ""
            if kind == "file":
                self.form.files.append(name)
            elif kind in ("submit", "image"):
                self.form.buttons.append((name, value))
            elif kind in ("checkbox", "radio"):
                if kind == "checkbox":
                    self.form.checkboxes.add(name)
                self.form.choices.setdefault(name, []).append(value or "on")
                if "checked" in attrs:
                    self.form.fields.append((name, value or "on"))
            else:
                if kind == "hidden":
                    self.form.hidden.add(name)
                elif kind in ("text", "email", "url", "search"):
                    self.form.texts.add(name)
                self.form.fields.append((name, value))
        elif tag == "button" and name:
            self.form.buttons.append((name, attrs.get("value") or ""))
        elif tag == "select" and name:
            self.select = name
            self.form.choices[name] = []
            self.form.fields.append((name, ""))
        elif tag == "option" and self.select:
            value = attrs.get("value") or ""
            self.form.choices[self.select].append(value)
            if "selected" in attrs:
                self.form.fields = [(n, v) for n, v in self.form.fields if n != self.select]
                self.form.fields.append((self.select, value))
        elif tag == "textarea" and name:
            self.textarea = name
            self.text = ""
            self.form.texts.add(name)

    def handle_data(self, data):
        if self.textarea:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea and self.form:
            self.form.fields.append((self.textarea, self.text.lstrip("\n")))
            self.textarea = None


def page_forms(html: str) -> list[Form]:
    """The POST forms of a page."""
    parser = _FormParser()
    parser.feed(html)
    return parser.forms
