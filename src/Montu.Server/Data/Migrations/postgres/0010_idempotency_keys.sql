-- Idempotency-Key of write requests (docs/decisions/0022): one row per user and key. While the
-- first request runs, status_code is NULL and claimed_until bounds the claim (renewed as the
-- request goes on, so a claim whose server died frees itself); once it answered below 500 the
-- answer is kept for replays until expires_at, 24 hours after the first request.
CREATE TABLE idempotency_keys (
    user_id         text NOT NULL,
    idempotency_key text NOT NULL,
    -- SHA-256 of what makes a repeat the same request: method, path and query, and the body (or,
    -- for a streamed upload, its type and length).
    fingerprint     text NOT NULL,
    method          text NOT NULL,
    path            text NOT NULL,
    -- Names one run of the key: only that run may renew, answer or release it.
    claim_id        text NOT NULL,
    claimed_until   timestamptz,
    request_id      text NOT NULL,
    status_code     integer,
    content_type    text,
    location        text,
    etag            text,
    body            bytea,
    created_at      timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL,
    PRIMARY KEY (user_id, idempotency_key)
);
-- The sweep of expired keys.
CREATE INDEX ix_idempotency_keys_expires ON idempotency_keys (expires_at);
-- The sweep is one job that queues its successor: at most one may wait in the queue, however many
-- instances start at once.
CREATE UNIQUE INDEX ux_jobs_queued_idempotency_sweep ON jobs (kind) WHERE kind = 'idempotency_sweep' AND status = 'queued';
