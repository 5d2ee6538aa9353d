"""Extraction from parsed sentences: actors, events, dates, places, quantities, relations."""
