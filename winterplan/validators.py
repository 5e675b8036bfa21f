"""Validators shared by the apps."""

from django.core.validators import URLValidator

#: Links in plans and evidence may only point at web pages: no javascript:, data:, file: or ftp:.
validate_web_url = URLValidator(
    schemes=["http", "https"],
    message="Enter a web address starting with http:// or https://.",
)
