-- Playlists: dailies and client reviews. DELETE archives one (status 'archived', decision 0004);
-- its items stay. An item names the media version it shows; media are deleted outright, so that
-- id has no foreign key: an item whose media is gone shows none, and closing refuses it by name.
CREATE TABLE playlists (
    id          TEXT PRIMARY KEY,
    project_id  TEXT NOT NULL REFERENCES projects (id),
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    review_date TEXT,
    created_by  TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'open',
    closed_by   TEXT,
    closed_at   TEXT,
    revision    INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX ix_playlists_project_created ON playlists (project_id, created_at, id);

CREATE TABLE playlist_items (
    id             TEXT PRIMARY KEY,
    playlist_id    TEXT NOT NULL REFERENCES playlists (id),
    media_id       TEXT NOT NULL,
    task_id        TEXT,
    follow_latest  INTEGER NOT NULL DEFAULT 0,
    position       INTEGER NOT NULL,
    decision       TEXT,
    decision_notes TEXT,
    created_at     TEXT NOT NULL
);
CREATE INDEX ix_playlist_items_playlist ON playlist_items (playlist_id, position);
