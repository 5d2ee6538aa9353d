-- eventwatch schema, version 2: reviewers' corrections of events.
-- A review never changes the machine's event row: the desk applies the reviews on top of it, in
-- order (review_id grows with every review), so the original stays and every correction keeps who
-- made it and when. `changes` is a JSON object of the corrected event fields.

CREATE SEQUENCE reviews_review_id START 1;

CREATE TABLE reviews (
    review_id BIGINT PRIMARY KEY DEFAULT nextval('reviews_review_id'),
    event_id VARCHAR NOT NULL REFERENCES events (event_id),
    reviewer VARCHAR NOT NULL,
    reviewed_at TIMESTAMP NOT NULL,  -- UTC
    changes VARCHAR NOT NULL,  -- JSON object
    not_an_event BOOLEAN NOT NULL,
    note VARCHAR
);

CREATE INDEX reviews_event_id ON reviews (event_id);
