from django.utils.functional import SimpleLazyObject

from actions.selectors import reporting_date_for


def reporting_date(request):
    """`reporting` in every template: the page's reporting date (actions.selectors)."""
    return {"reporting": SimpleLazyObject(lambda: reporting_date_for(request))}
