-- Review notes on media versions. Every field a list filters or sorts on is a column; the
-- drawing and position are validated JSON read only whole. A reply's parent is always a root
-- (threads are one level deep), and reply_count is kept with the replies in one transaction.
-- first_frame and frame_rate are the media's, copied when the note is made (they never change
-- for a version): the timestamp and timecode of a frame come from them, exactly.
CREATE TABLE annotations (
    id              text PRIMARY KEY,
    project_id      text NOT NULL REFERENCES projects (id),
    media_id        text NOT NULL REFERENCES media (id),
    task_id         text,
    parent_id       text REFERENCES annotations (id),
    author          text NOT NULL,
    annotation_type text NOT NULL,
    content         text NOT NULL DEFAULT '',
    frame_number    bigint,
    first_frame     bigint NOT NULL DEFAULT 0,
    frame_rate      text,
    position        jsonb,
    drawing         jsonb,
    mentions        jsonb NOT NULL DEFAULT '[]',
    status          text NOT NULL DEFAULT 'active',
    resolved_by     text,
    resolved_at     timestamptz,
    reply_count     integer NOT NULL DEFAULT 0,
    revision        integer NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
-- NULLS FIRST as the list orders (notes on the whole media first; SQLite's default), so the first
-- page of a media's notes is read from the index in order, without sorting them all.
CREATE INDEX ix_annotations_media_frame ON annotations (media_id, frame_number NULLS FIRST, created_at, id);
CREATE INDEX ix_annotations_project_created ON annotations (project_id, created_at, id);
CREATE INDEX ix_annotations_task ON annotations (task_id, frame_number NULLS FIRST);
CREATE INDEX ix_annotations_parent ON annotations (parent_id, created_at, id);
CREATE INDEX ix_annotations_updated ON annotations (project_id, updated_at);
