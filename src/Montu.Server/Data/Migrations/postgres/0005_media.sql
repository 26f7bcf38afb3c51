-- Media versions replace the placeholder table of 0001, which never held a row. A version is
-- unique within its task; project-level media (no task) need no version.
DROP TABLE media;

CREATE TABLE media (
    id                text PRIMARY KEY,
    project_id        text NOT NULL REFERENCES projects (id),
    task_id           text REFERENCES tasks (id),
    version           text,
    version_number    integer,
    author            text NOT NULL,
    file_name         text NOT NULL,
    file_extension    text NOT NULL,
    media_type        text NOT NULL,
    content_type      text NOT NULL,
    storage_key       text NOT NULL UNIQUE,
    thumbnail_key     text,
    description       text NOT NULL DEFAULT '',
    tags              jsonb NOT NULL DEFAULT '[]',
    metadata          jsonb NOT NULL,
    size_bytes        bigint NOT NULL,
    checksum          text NOT NULL,
    search_text       text NOT NULL,
    processing_status text NOT NULL,
    processing_error  text,
    approval_status   text NOT NULL DEFAULT 'pending',
    reviewed_by       text,
    review_notes      text,
    reviewed_at       timestamptz,
    revision          integer NOT NULL DEFAULT 1,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL
);
CREATE UNIQUE INDEX ux_media_task_version ON media (task_id, version_number) WHERE task_id IS NOT NULL;
CREATE INDEX ix_media_project_created ON media (project_id, created_at, id);
CREATE INDEX ix_media_task ON media (task_id, version_number);
