-- eventwatch schema, version 5: drop the secondary indexes no query uses.
-- DuckDB keeps every ART index resident while writing and cannot evict it, so each costs memory
-- per stored row (bench/RESULTS.md: ~5.6 KiB per article for these three, ~0.55 GiB at 100,000
-- articles). Filters on type, date and actor run as scans and hash joins over `event_view`
-- (timed on a 100,000-event database: the same with and without these indexes). The indexes
-- that serve point lookups (events by article, reviews by event, fusion by fused id) stay.

DROP INDEX events_plover_type;
DROP INDEX events_date_value;
DROP INDEX event_actors_actor_id;
