"""Providers report for themselves: a care home's private return link and the returns API.

An officer issues a home a link (models: `providers.models.return_links.ReturnLink`; only the
token's SHA-256 is stored, the token is shown once). The link opens one public page, the
home's return for today (or yesterday until RETURN_LINK_YESTERDAY_UNTIL_HOUR); the same token
as a bearer credential lets a care group's own system POST the return to `/api/returns/`.
Both go through the staff form's fields and validation (`providers.forms.DailyReturnForm`) and
the staff service (`providers.services.register.daily_returns_save`), so escalation is
re-assessed the same way; the return records its channel and link, never a user. Requests are
counted in the cache per token and per client address (`throttle.py`).

Officers list, issue and revoke a home's links, and e-mail reminders to homes that have not
reported today, from the register and the returns screen (`views.py`, `urls.py`); the public
page and the API are in `public.py`, `api.py` and `public_urls.py`.
"""
