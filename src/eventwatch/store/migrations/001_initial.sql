-- eventwatch schema, version 1.
-- Column names are the records' attribute paths joined by "_" (see duckdb_store._Codec); a test
-- checks that every table here has exactly the columns the typed records need.
-- Dates stay VARCHAR (YYYY, YYYY-MM or YYYY-MM-DD, as the record's precision says) so they round-trip.

CREATE TABLE articles (
    article_id VARCHAR PRIMARY KEY,
    content_hash VARCHAR NOT NULL UNIQUE,
    text VARCHAR NOT NULL,
    published VARCHAR,
    source VARCHAR,
    title VARCHAR,
    url VARCHAR,
    language VARCHAR,
    n_sentences BIGINT NOT NULL,
    errors VARCHAR[] NOT NULL,
    origin VARCHAR,
    extraction_errors VARCHAR[] NOT NULL,
    ingested_at TIMESTAMP NOT NULL  -- UTC
);

CREATE TABLE mentions (
    article_id VARCHAR NOT NULL REFERENCES articles (article_id),
    mention_id VARCHAR NOT NULL,
    position BIGINT NOT NULL,
    kind VARCHAR NOT NULL,
    text VARCHAR NOT NULL,
    "start" BIGINT NOT NULL,
    "end" BIGINT NOT NULL,
    sentence BIGINT NOT NULL,
    actor_name VARCHAR,
    actor_actor_id VARCHAR,
    actor_type VARCHAR,
    actor_country VARCHAR,
    actor_cameo_code VARCHAR,
    actor_mention_text VARCHAR,
    actor_mention_start BIGINT,
    actor_mention_end BIGINT,
    place_name VARCHAR,
    place_country VARCHAR,
    place_admin1 VARCHAR,
    place_lat DOUBLE,
    place_lon DOUBLE,
    place_geonameid BIGINT,
    place_feature VARCHAR,
    place_precision VARCHAR,
    place_text VARCHAR,
    date_value VARCHAR,
    date_precision VARCHAR,
    date_start VARCHAR,
    date_end VARCHAR,
    date_text VARCHAR,
    PRIMARY KEY (article_id, mention_id)
);

CREATE TABLE events (
    event_id VARCHAR PRIMARY KEY,
    article_id VARCHAR NOT NULL REFERENCES articles (article_id),
    position BIGINT NOT NULL,
    sentence BIGINT NOT NULL,
    evidence_text VARCHAR NOT NULL,
    evidence_start BIGINT NOT NULL,
    evidence_end BIGINT NOT NULL,
    trigger_text VARCHAR NOT NULL,
    trigger_start BIGINT NOT NULL,
    trigger_end BIGINT NOT NULL,
    plover_type VARCHAR NOT NULL,
    plover_mode VARCHAR,
    cameo_code VARCHAR,
    goldstein DOUBLE,
    quad_class BIGINT,
    acled_event_type VARCHAR,
    acled_sub_event_type VARCHAR,
    modality VARCHAR NOT NULL,
    date_value VARCHAR,
    date_precision VARCHAR,
    date_start VARCHAR,
    date_end VARCHAR,
    date_text VARCHAR,
    location_name VARCHAR,
    location_country VARCHAR,
    location_admin1 VARCHAR,
    location_lat DOUBLE,
    location_lon DOUBLE,
    location_geonameid BIGINT,
    location_feature VARCHAR,
    location_precision VARCHAR,
    location_text VARCHAR,
    fatalities_low BIGINT,
    fatalities_best BIGINT,
    fatalities_high BIGINT,
    fatalities_text VARCHAR,
    injured_low BIGINT,
    injured_best BIGINT,
    injured_high BIGINT,
    injured_text VARCHAR,
    attribution_kind VARCHAR NOT NULL,
    attribution_speaker_name VARCHAR,
    attribution_speaker_actor_id VARCHAR,
    attribution_via VARCHAR,
    attribution_hedged BOOLEAN NOT NULL,
    attribution_cues VARCHAR[] NOT NULL,
    confidence DOUBLE NOT NULL
);

CREATE TABLE event_actors (
    event_id VARCHAR NOT NULL REFERENCES events (event_id),
    role VARCHAR NOT NULL CHECK (role IN ('source', 'target')),
    position BIGINT NOT NULL,
    name VARCHAR NOT NULL,
    actor_id VARCHAR,
    type VARCHAR,
    country VARCHAR,
    cameo_code VARCHAR,
    mention_text VARCHAR,
    mention_start BIGINT,
    mention_end BIGINT,
    PRIMARY KEY (event_id, role, position)
);

CREATE TABLE quantities (
    article_id VARCHAR NOT NULL REFERENCES articles (article_id),
    quantity_id VARCHAR NOT NULL,
    position BIGINT NOT NULL,
    what VARCHAR NOT NULL,
    value DOUBLE NOT NULL,
    value_is_int BOOLEAN NOT NULL,  -- the extractor gave an int: read it back as an int
    bound VARCHAR NOT NULL,
    unit VARCHAR,
    period_start VARCHAR,
    period_end VARCHAR,
    period_precision VARCHAR,
    evidence_text VARCHAR NOT NULL,
    evidence_start BIGINT NOT NULL,
    evidence_end BIGINT NOT NULL,
    sentence BIGINT NOT NULL,
    origin_name VARCHAR,
    origin_actor_id VARCHAR,
    origin_type VARCHAR,
    origin_country VARCHAR,
    origin_cameo_code VARCHAR,
    origin_mention_text VARCHAR,
    origin_mention_start BIGINT,
    origin_mention_end BIGINT,
    target_name VARCHAR,
    target_actor_id VARCHAR,
    target_type VARCHAR,
    target_country VARCHAR,
    target_cameo_code VARCHAR,
    target_mention_text VARCHAR,
    target_mention_start BIGINT,
    target_mention_end BIGINT,
    attribution_kind VARCHAR NOT NULL,
    attribution_speaker_name VARCHAR,
    attribution_speaker_actor_id VARCHAR,
    attribution_via VARCHAR,
    attribution_hedged BOOLEAN NOT NULL,
    attribution_cues VARCHAR[] NOT NULL,
    PRIMARY KEY (article_id, quantity_id)
);

CREATE TABLE relations (
    article_id VARCHAR NOT NULL REFERENCES articles (article_id),
    relation_id VARCHAR NOT NULL,
    position BIGINT NOT NULL,
    type VARCHAR NOT NULL,
    subject_name VARCHAR NOT NULL,
    subject_actor_id VARCHAR,
    subject_type VARCHAR,
    subject_country VARCHAR,
    subject_cameo_code VARCHAR,
    subject_mention_text VARCHAR,
    subject_mention_start BIGINT,
    subject_mention_end BIGINT,
    object_name VARCHAR NOT NULL,
    object_actor_id VARCHAR,
    object_type VARCHAR,
    object_country VARCHAR,
    object_cameo_code VARCHAR,
    object_mention_text VARCHAR,
    object_mention_start BIGINT,
    object_mention_end BIGINT,
    evidence_text VARCHAR NOT NULL,
    evidence_start BIGINT NOT NULL,
    evidence_end BIGINT NOT NULL,
    sentence BIGINT NOT NULL,
    attribution_kind VARCHAR NOT NULL,
    attribution_speaker_name VARCHAR,
    attribution_speaker_actor_id VARCHAR,
    attribution_via VARCHAR,
    attribution_hedged BOOLEAN NOT NULL,
    attribution_cues VARCHAR[] NOT NULL,
    PRIMARY KEY (article_id, relation_id)
);

CREATE INDEX events_plover_type ON events (plover_type);
CREATE INDEX events_date_value ON events (date_value);
CREATE INDEX events_article_id ON events (article_id);
CREATE INDEX event_actors_actor_id ON event_actors (actor_id);

-- One row per event with its actors as LIST of STRUCT (in their original order), the article fields
-- exports need, and `day`: the date a filter compares and results sort by (the date's start, else
-- its value padded to a day, else the article's published day).
CREATE VIEW event_view AS
WITH actors AS (
    SELECT
        event_id,
        list(
            struct_pack(
                name := name,
                actor_id := actor_id,
                type := type,
                country := country,
                cameo_code := cameo_code,
                mention := CASE WHEN mention_text IS NULL THEN NULL
                    ELSE struct_pack(text := mention_text, "start" := mention_start, "end" := mention_end) END
            )
            ORDER BY position
        ) FILTER (WHERE role = 'source') AS source_actors,
        list(
            struct_pack(
                name := name,
                actor_id := actor_id,
                type := type,
                country := country,
                cameo_code := cameo_code,
                mention := CASE WHEN mention_text IS NULL THEN NULL
                    ELSE struct_pack(text := mention_text, "start" := mention_start, "end" := mention_end) END
            )
            ORDER BY position
        ) FILTER (WHERE role = 'target') AS target_actors
    FROM event_actors
    GROUP BY event_id
)
SELECT
    e.*,
    COALESCE(
        e.date_start,
        CASE length(e.date_value)
            WHEN 4 THEN e.date_value || '-01-01'
            WHEN 7 THEN e.date_value || '-01'
            ELSE left(e.date_value, 10)
        END,
        left(a.published, 10)
    ) AS day,
    COALESCE(x.source_actors, []) AS source_actors,
    COALESCE(x.target_actors, []) AS target_actors,
    a.published,
    a.source,
    a.url,
    a.title,
    a.ingested_at
FROM events e
JOIN articles a ON a.article_id = e.article_id
LEFT JOIN actors x ON x.event_id = e.event_id;
