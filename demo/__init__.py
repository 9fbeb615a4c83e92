"""The demo portal (``load_demo``): communities, pages, media, teams and history from every app.

It sits above all the other apps (CONTRIBUTING.md, "The dependency rule"): it fills kompetanse's
content and the satellites' teams and history, and nothing imports it but tests and benchmarks.
"""
