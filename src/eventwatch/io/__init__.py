"""Input: read articles from files, folders, globs and URLs into ``Article`` records."""
