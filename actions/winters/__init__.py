"""Every winter: start a council's next winter plan from last winter's, and compare the two.

`services.plan_clone` is the one way in (the managers' page and `manage.py clone_plan`); its
preview (`plan_clone_preview`) is recomputed on apply, never read back from the page.
"""
