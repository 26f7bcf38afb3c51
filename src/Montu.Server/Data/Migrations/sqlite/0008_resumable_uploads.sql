-- Resumable uploads (the tus protocol at /api/v1/uploads): what the client announced when it
-- created the upload, how many bytes are stored so far, and the PATCH allowed to add the next
-- ones (the latest one started: an earlier one still running finds it replaced and stores
-- nothing). upload_offset reaches upload_length in the transaction that commits the media
-- version, which media_id then names.
CREATE TABLE resumable_uploads (
    id              TEXT PRIMARY KEY,
    created_by      TEXT NOT NULL,
    project_id      TEXT NOT NULL REFERENCES projects (id),
    task_id         TEXT REFERENCES tasks (id),
    version_number  INTEGER,
    file_name       TEXT NOT NULL,
    file_extension  TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    tags            TEXT NOT NULL DEFAULT '[]',
    upload_metadata TEXT NOT NULL,
    upload_length   INTEGER NOT NULL,
    upload_offset   INTEGER NOT NULL DEFAULT 0,
    patch_id        TEXT,
    media_id        TEXT,
    expires_at      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);

-- The stored objects of an upload in progress, one per PATCH, in offset order.
CREATE TABLE resumable_upload_parts (
    upload_id    TEXT NOT NULL REFERENCES resumable_uploads (id),
    start_offset INTEGER NOT NULL,
    size         INTEGER NOT NULL,
    storage_key  TEXT NOT NULL,
    PRIMARY KEY (upload_id, start_offset)
);
