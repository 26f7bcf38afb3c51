-- Users, per-project membership, refresh-token families and the access-token denylist.
CREATE TABLE users (
    id                text PRIMARY KEY,
    email             text NOT NULL,
    -- Lowercased in code (invariant), so both engines compare emails the same way.
    email_key         text NOT NULL,
    display_name      text NOT NULL,
    -- NULL for users who only sign in through an external issuer.
    password_hash     text,
    department        text,
    profile_role      text,
    avatar_url        text,
    is_admin          boolean NOT NULL DEFAULT false,
    disabled          boolean NOT NULL DEFAULT false,
    -- Access tokens issued before this instant are refused (password change, disable).
    tokens_not_before timestamptz,
    last_login        timestamptz,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL
);
CREATE UNIQUE INDEX ux_users_email_key ON users (email_key);

CREATE TABLE project_members (
    project_id text NOT NULL REFERENCES projects (id),
    user_id    text NOT NULL REFERENCES users (id),
    role       text NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (project_id, user_id)
);
CREATE INDEX ix_project_members_user ON project_members (user_id);

-- Only SHA-256 hashes of refresh tokens are stored; a family is one login's chain of rotations.
CREATE TABLE refresh_tokens (
    token_hash  text PRIMARY KEY,
    family_id   text NOT NULL,
    user_id     text NOT NULL REFERENCES users (id),
    project_id  text,
    issued_at   timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    replaced_by text,
    revoked_at  timestamptz
);
CREATE INDEX ix_refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX ix_refresh_tokens_user ON refresh_tokens (user_id, revoked_at);

-- Access tokens ended early (logout), kept until they would have expired anyway.
CREATE TABLE revoked_access_tokens (
    jti        text PRIMARY KEY,
    user_id    text NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX ix_revoked_access_tokens_user ON revoked_access_tokens (user_id, expires_at);
