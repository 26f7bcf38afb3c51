-- Every project and task counts its changes, as media versions already do: the ETag clients send
-- back in If-Match (docs/decisions/0021). Existing rows start at 1. A project may require
-- If-Match on every change to it, its tasks and its media.
ALTER TABLE projects ADD COLUMN revision integer NOT NULL DEFAULT 1;
ALTER TABLE projects ADD COLUMN require_if_match boolean NOT NULL DEFAULT false;
ALTER TABLE tasks ADD COLUMN revision integer NOT NULL DEFAULT 1;

-- Task documents are rewritten at start-up with their revision, as after 0003.
UPDATE tasks SET doc = NULL;

-- A field merge reads the events of one task (and its project's bulk changes) since a revision.
CREATE INDEX ix_events_entity ON events (entity_type, entity_id, seq);
