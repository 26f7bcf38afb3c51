-- Media versions replace the placeholder table of 0001, which never held a row. A version is
-- unique within its task; project-level media (no task) need no version.
DROP TABLE media;

CREATE TABLE media (
    id                TEXT PRIMARY KEY,
    project_id        TEXT NOT NULL REFERENCES projects (id),
    task_id           TEXT REFERENCES tasks (id),
    version           TEXT,
    version_number    INTEGER,
    author            TEXT NOT NULL,
    file_name         TEXT NOT NULL,
    file_extension    TEXT NOT NULL,
    media_type        TEXT NOT NULL,
    content_type      TEXT NOT NULL,
    storage_key       TEXT NOT NULL UNIQUE,
    thumbnail_key     TEXT,
    description       TEXT NOT NULL DEFAULT '',
    tags              TEXT NOT NULL DEFAULT '[]',
    metadata          TEXT NOT NULL,
    size_bytes        INTEGER NOT NULL,
    checksum          TEXT NOT NULL,
    search_text       TEXT NOT NULL,
    processing_status TEXT NOT NULL,
    processing_error  TEXT,
    approval_status   TEXT NOT NULL DEFAULT 'pending',
    reviewed_by       TEXT,
    review_notes      TEXT,
    reviewed_at       TEXT,
    revision          INTEGER NOT NULL DEFAULT 1,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_media_task_version ON media (task_id, version_number) WHERE task_id IS NOT NULL;
CREATE INDEX ix_media_project_created ON media (project_id, created_at, id);
CREATE INDEX ix_media_task ON media (task_id, version_number);
