-- Share links of playlists (decision 0029): a guest opens one playlist with a token. Only the
-- token's SHA-256 is kept, so the table cannot hand out working links; a link is revoked by
-- setting revoked_at, and kept, so its id still names the guest's notes.
CREATE TABLE playlist_shares (
    id                text PRIMARY KEY,
    playlist_id       text NOT NULL REFERENCES playlists (id),
    project_id        text NOT NULL REFERENCES projects (id),
    token_hash        text NOT NULL UNIQUE,
    allow_annotations boolean NOT NULL DEFAULT false,
    guest_name        text NOT NULL,
    created_by        text NOT NULL,
    created_at        timestamptz NOT NULL,
    expires_at        timestamptz NOT NULL,
    revoked_at        timestamptz,
    revoked_by        text
);
CREATE INDEX ix_playlist_shares_playlist ON playlist_shares (playlist_id, created_at);
