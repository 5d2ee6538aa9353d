-- eventwatch schema, version 3: the state of live feeds (`eventwatch watch`).
-- An item's mark is written in the same transaction as the article it led to, and a feed's
-- validators (ETag, Last-Modified) only after every new item of that answer is marked, so a
-- crash never marks unstored work as done and a re-run fetches again whatever was not marked.

CREATE TABLE feeds (
    url VARCHAR PRIMARY KEY,  -- the URL (or absolute file path) as watched
    title VARCHAR,  -- the feed's own title, from its last full answer
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
    item_key VARCHAR NOT NULL,  -- the entry's id, else its link; also the stored article's id
    link VARCHAR,
    status VARCHAR NOT NULL CHECK (status IN ('stored', 'duplicate', 'failed')),
    attempts BIGINT NOT NULL DEFAULT 0,  -- tries to read the linked page (failed items retry)
    article_id VARCHAR,  -- the stored article (for a duplicate: the one already there)
    last_error VARCHAR,
    -- What the feed said of the item, so a failed one can be retried after it left the feed.
    title VARCHAR,
    published VARCHAR,
    summary VARCHAR,
    source VARCHAR,
    language VARCHAR,
    first_seen_at TIMESTAMP NOT NULL,  -- UTC
    updated_at TIMESTAMP NOT NULL,  -- UTC
    PRIMARY KEY (feed_url, item_key)
);
