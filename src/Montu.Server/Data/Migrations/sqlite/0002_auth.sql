-- Users, per-project membership, refresh-token families and the access-token denylist.
CREATE TABLE users (
    id                TEXT PRIMARY KEY,
    email             TEXT NOT NULL,
    -- Lowercased in code (invariant), so both engines compare emails the same way.
    email_key         TEXT NOT NULL,
    display_name      TEXT NOT NULL,
    -- NULL for users who only sign in through an external issuer.
    password_hash     TEXT,
    department        TEXT,
    profile_role      TEXT,
    avatar_url        TEXT,
    is_admin          INTEGER NOT NULL DEFAULT 0,
    disabled          INTEGER NOT NULL DEFAULT 0,
    -- Access tokens issued before this instant are refused (password change, disable).
    tokens_not_before TEXT,
    last_login        TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_users_email_key ON users (email_key);

CREATE TABLE project_members (
    project_id TEXT NOT NULL REFERENCES projects (id),
    user_id    TEXT NOT NULL REFERENCES users (id),
    role       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (project_id, user_id)
);
CREATE INDEX ix_project_members_user ON project_members (user_id);

-- Only SHA-256 hashes of refresh tokens are stored; a family is one login's chain of rotations.
CREATE TABLE refresh_tokens (
    token_hash  TEXT PRIMARY KEY,
    family_id   TEXT NOT NULL,
    user_id     TEXT NOT NULL REFERENCES users (id),
    project_id  TEXT,
    issued_at   TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT,
    replaced_by TEXT,
    revoked_at  TEXT
);
CREATE INDEX ix_refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX ix_refresh_tokens_user ON refresh_tokens (user_id, revoked_at);

-- Access tokens ended early (logout), kept until they would have expired anyway.
CREATE TABLE revoked_access_tokens (
    jti        TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX ix_revoked_access_tokens_user ON revoked_access_tokens (user_id, expires_at);
