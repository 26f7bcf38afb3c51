-- Playlists: dailies and client reviews. DELETE archives one (status 'archived', decision 0004);
-- its items stay. An item names the media version it shows; media are deleted outright, so that
-- id has no foreign key: an item whose media is gone shows none, and closing refuses it by name.
CREATE TABLE playlists (
    id          text PRIMARY KEY,
    project_id  text NOT NULL REFERENCES projects (id),
    name        text NOT NULL,
    description text NOT NULL DEFAULT '',
    review_date text,
    created_by  text NOT NULL,
    status      text NOT NULL DEFAULT 'open',
    closed_by   text,
    closed_at   timestamptz,
    revision    integer NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);
CREATE INDEX ix_playlists_project_created ON playlists (project_id, created_at, id);

CREATE TABLE playlist_items (
    id             text PRIMARY KEY,
    playlist_id    text NOT NULL REFERENCES playlists (id),
    media_id       text NOT NULL,
    task_id        text,
    follow_latest  boolean NOT NULL DEFAULT false,
    position       integer NOT NULL,
    decision       text,
    decision_notes text,
    created_at     timestamptz NOT NULL
);
CREATE INDEX ix_playlist_items_playlist ON playlist_items (playlist_id, position);
