-- Review notes on media versions. Every field a list filters or sorts on is a column; the
-- drawing and position are validated JSON read only whole. A reply's parent is always a root
-- (threads are one level deep), and reply_count is kept with the replies in one transaction.
-- first_frame and frame_rate are the media's, copied when the note is made (they never change
-- for a version): the timestamp and timecode of a frame come from them, exactly.
CREATE TABLE annotations (
    id              TEXT PRIMARY KEY,
    project_id      TEXT NOT NULL REFERENCES projects (id),
    media_id        TEXT NOT NULL REFERENCES media (id),
    task_id         TEXT,
    parent_id       TEXT REFERENCES annotations (id),
    author          TEXT NOT NULL,
    annotation_type TEXT NOT NULL,
    content         TEXT NOT NULL DEFAULT '',
    frame_number    INTEGER,
    first_frame     INTEGER NOT NULL DEFAULT 0,
    frame_rate      TEXT,
    position        TEXT,
    drawing         TEXT,
    mentions        TEXT NOT NULL DEFAULT '[]',
    status          TEXT NOT NULL DEFAULT 'active',
    resolved_by     TEXT,
    resolved_at     TEXT,
    reply_count     INTEGER NOT NULL DEFAULT 0,
    revision        INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX ix_annotations_media_frame ON annotations (media_id, frame_number, created_at, id);
CREATE INDEX ix_annotations_project_created ON annotations (project_id, created_at, id);
CREATE INDEX ix_annotations_task ON annotations (task_id, frame_number);
CREATE INDEX ix_annotations_parent ON annotations (parent_id, created_at, id);
CREATE INDEX ix_annotations_updated ON annotations (project_id, updated_at);
