"""“Your account”: who you are here (name, e-mail, role, council) and your reminder choice."""
