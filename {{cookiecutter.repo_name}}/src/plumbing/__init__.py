"""The template's plumbing: the team's code imports it and never edits it; `cruft update` updates it (README.md)."""
