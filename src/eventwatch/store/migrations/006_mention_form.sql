-- eventwatch schema, version 6: mentions say how they refer (a name, a common noun, a pronoun)
-- and, where resolved, which mention they refer to (eventwatch.extract.coref). Mentions stored
-- before this version are all names.

ALTER TABLE mentions ADD COLUMN IF NOT EXISTS form VARCHAR DEFAULT 'name';
ALTER TABLE mentions ADD COLUMN IF NOT EXISTS refers_to VARCHAR;
