"""eventwatch: news reporting on conflict and politics in, coded events with evidence out."""

__version__ = "0.1.0"
