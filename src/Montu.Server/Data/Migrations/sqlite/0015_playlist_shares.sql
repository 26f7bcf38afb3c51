-- Share links of playlists (decision 0029): a guest opens one playlist with a token. Only the
-- token's SHA-256 is kept, so the table cannot hand out working links; a link is revoked by
-- setting revoked_at, and kept, so its id still names the guest's notes.
CREATE TABLE playlist_shares (
    id                TEXT PRIMARY KEY,
    playlist_id       TEXT NOT NULL REFERENCES playlists (id),
    project_id        TEXT NOT NULL REFERENCES projects (id),
    token_hash        TEXT NOT NULL UNIQUE,
    allow_annotations INTEGER NOT NULL DEFAULT 0,
    guest_name        TEXT NOT NULL,
    created_by        TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    expires_at        TEXT NOT NULL,
    revoked_at        TEXT,
    revoked_by        TEXT
);
CREATE INDEX ix_playlist_shares_playlist ON playlist_shares (playlist_id, created_at);
