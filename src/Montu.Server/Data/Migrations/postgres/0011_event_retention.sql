-- How far the event log has been pruned: a client that last saw an older sequence missed events
-- for good and must reload (WebSocket resync_required, 410 on GET /changes). One row.
CREATE TABLE event_retention (
    id             integer PRIMARY KEY CHECK (id = 1),
    pruned_through bigint NOT NULL
);
INSERT INTO event_retention (id, pruned_through) VALUES (1, 0);
-- The pruning's scan by age.
CREATE INDEX ix_events_created_at ON events (created_at);
