"""A council's audit trail: every change to its plan, provider, continuity plan, fund and
letter data between two dates, read from django-simple-history (who, when, what changed from
what to what, by which channel), as a page and a CSV. Read-only; mounted at
/councils/<council_slug>/audit/ (README "URLs")."""
