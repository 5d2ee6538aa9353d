-- eventwatch schema, version 4: near-duplicate articles and events fused across articles.
-- New tables only (DuckDB refuses ALTER TABLE on tables that foreign keys reference). These tables
-- are rewritten as clusters merge, so they carry no foreign keys; the store keeps them consistent
-- in the transaction that writes the articles. Existing events are fused by the store right after
-- this migration (duckdb_store.Store._migrate), in the same transaction.

-- A stored article that copies another (syndicated, lightly edited): its records are not coded.
CREATE TABLE article_duplicates (
    article_id VARCHAR PRIMARY KEY,
    original_id VARCHAR NOT NULL,  -- the first stored article it copies (never itself a copy)
    similarity DOUBLE NOT NULL  -- Jaccard similarity of the two texts' word shingles
);
CREATE INDEX article_duplicates_original_id ON article_duplicates (original_id);

-- MinHash LSH band buckets, one row per article and band: candidate copies are a join.
CREATE TABLE article_minhash (
    article_id VARCHAR NOT NULL,
    band INTEGER NOT NULL,
    bucket BIGINT NOT NULL
);

-- Which fused event each stored event (report) belongs to, with the keys candidate search joins on.
CREATE TABLE event_fusion (
    event_id VARCHAR PRIMARY KEY,
    fused_id VARCHAR NOT NULL,  -- event_id of the lead report
    article_id VARCHAR NOT NULL,
    plover_type VARCHAR NOT NULL,
    acled_event_type VARCHAR,
    modality_class VARCHAR NOT NULL,
    country VARCHAR,  -- the location's country, where known
    day_lo DATE,  -- first and last day the report's event can have happened on
    day_hi DATE,
    coarse BOOLEAN NOT NULL  -- date wider than a week (fuses only with reports as coarse)
);
CREATE INDEX event_fusion_fused_id ON event_fusion (fused_id);
CREATE INDEX event_fusion_article_id ON event_fusion (article_id);

-- One row per fused event: figures across its reports (see eventwatch.fusion.fuse).
CREATE TABLE fused_events (
    fused_id VARCHAR PRIMARY KEY,
    n_reports BIGINT NOT NULL,
    n_articles BIGINT NOT NULL,
    n_sources BIGINT NOT NULL,
    event_ids VARCHAR[] NOT NULL,
    article_ids VARCHAR[] NOT NULL,
    duplicate_ids VARCHAR[] NOT NULL,
    sources VARCHAR[] NOT NULL,
    fatalities_low BIGINT,
    fatalities_best BIGINT,
    fatalities_high BIGINT,
    fatalities_text VARCHAR,
    injured_low BIGINT,
    injured_best BIGINT,
    injured_high BIGINT,
    injured_text VARCHAR,
    date_start VARCHAR,
    date_end VARCHAR,
    disagreements VARCHAR NOT NULL  -- JSON list of {field, readings: [{value, article_ids}]}
);
