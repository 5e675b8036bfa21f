"""The one paginator of the project's tables: django-tables2's LazyPaginator (no count query)
with page numbers bounded, so `?page=99999999999999999999` shows the first page instead of
overflowing the database's OFFSET (a 500 on SQLite and PostgreSQL)."""

from django.core.paginator import PageNotAnInteger
from django_tables2.paginators import LazyPaginator

#: Far beyond any table's last page (15,000 providers are 300 pages of 50).
MAX_PAGE = 100_000


class BoundedLazyPaginator(LazyPaginator):
    """A page number that is not a whole number from 1 to MAX_PAGE shows the first page."""

    def validate_number(self, number):
        if isinstance(number, str) and (len(number) > 7 or not number.strip().isdigit()):
            raise PageNotAnInteger("That page number is not a page of this table.")
        number = super().validate_number(number)
        if number > MAX_PAGE:
            raise PageNotAnInteger("That page number is not a page of this table.")
        return number
