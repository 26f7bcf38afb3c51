-- Resumable uploads (the tus protocol at /api/v1/uploads): what the client announced when it
-- created the upload, how many bytes are stored so far, and the PATCH allowed to add the next
-- ones (the latest one started: an earlier one still running finds it replaced and stores
-- nothing). upload_offset reaches upload_length in the transaction that commits the media
-- version, which media_id then names.
CREATE TABLE resumable_uploads (
    id              text PRIMARY KEY,
    created_by      text NOT NULL,
    project_id      text NOT NULL REFERENCES projects (id),
    task_id         text REFERENCES tasks (id),
    version_number  integer,
    file_name       text NOT NULL,
    file_extension  text NOT NULL,
    description     text NOT NULL DEFAULT '',
    tags            jsonb NOT NULL DEFAULT '[]',
    upload_metadata text NOT NULL,
    upload_length   bigint NOT NULL,
    upload_offset   bigint NOT NULL DEFAULT 0,
    patch_id        text,
    media_id        text,
    expires_at      timestamptz NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);

-- The stored objects of an upload in progress, one per PATCH, in offset order.
CREATE TABLE resumable_upload_parts (
    upload_id    text NOT NULL REFERENCES resumable_uploads (id),
    start_offset bigint NOT NULL,
    size         bigint NOT NULL,
    storage_key  text NOT NULL,
    PRIMARY KEY (upload_id, start_offset)
);
