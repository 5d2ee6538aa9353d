"""Packaged reviewed data (actors, roles, places) and the small classes that read them."""
