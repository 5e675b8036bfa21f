"""What a new committee report starts from, before officers write its sections."""

#: (key, number, heading, subsections) in report order; bodies start empty.
SECTIONS: tuple[tuple[str, str, str, tuple[tuple[str, str, str], ...]], ...] = (
    ("summary", "1", "Report Summary", ()),
    ("recommendations", "2", "Recommendations", ()),
    ("reasons", "3", "Reasons for Recommendations", ()),
    ("other_options", "4", "Other Options Considered", ()),
    ("background", "5", "Background", ()),
    ("implications", "6", "Implications of the Recommendations", (
        ("legal", "6.1", "Legal Implications"),
        ("finance", "6.2", "Finance Implications"),
        ("policy", "6.3", "Policy Implications"),
        ("equality", "6.4", "Equality Implications"),
        ("hr", "6.5", "Human Resources Implications"),
        ("risk", "6.6", "Risk Management Implications"),
        ("rural", "6.7", "Rural Communities Implications"),
        ("children", "6.8", "Implications for Children & Young People/Cared for Children"),
        ("public_health", "6.9", "Public Health Implications"),
        ("climate", "6.10", "Climate Change Implications"),
    )),
    ("ward_members", "7", "Ward Members Affected", ()),
    ("consultation", "8", "Consultation & Engagement", ()),
    ("access_to_information", "9", "Access to Information", ()),
    ("contact", "10", "Contact Information", ()),
)

DEFAULT_COMMITTEE = "Adult Social Care Overview and Scrutiny Committee"


def default_title(national_plan_title: str) -> str:
    return f"{national_plan_title} – the Council’s Response and Local Actions"


def default_letter_reference(plan_slug: str) -> str:
    return f"ASC/WP/{plan_slug}"
