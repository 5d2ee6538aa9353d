-- eventwatch schema, version 3: the state of live feeds (`eventwatch watch`).
-- A feed's validators (ETag, Last-Modified) and an item's "done" mark are written in the same
-- transaction as the articles they led to, so a crash never marks unstored work as done.

CREATE TABLE feeds (
    url VARCHAR PRIMARY KEY,
    etag VARCHAR,
    last_modified VARCHAR,
    polls BIGINT NOT NULL DEFAULT 0,
    failures BIGINT NOT NULL DEFAULT 0,  -- consecutive failed polls; drives the backoff
    last_polled_at TIMESTAMP,  -- UTC
    last_ok_at TIMESTAMP,  -- UTC
    next_poll_at TIMESTAMP,  -- UTC
    last_error VARCHAR
);

CREATE TABLE feed_items (
    feed_url VARCHAR NOT NULL,
    item_key VARCHAR NOT NULL,  -- the entry's id, else its link
    link VARCHAR,
    status VARCHAR NOT NULL CHECK (status IN ('stored', 'duplicate', 'failed')),
    attempts BIGINT NOT NULL DEFAULT 0,
    article_id VARCHAR,
    last_error VARCHAR,
    first_seen_at TIMESTAMP NOT NULL,  -- UTC
    PRIMARY KEY (feed_url, item_key)
);
