-- Durable background work: one row per job, claimed by the server's own workers or, later, by
-- external workers over HTTP. A claim leases the job to one worker until lease_expires_at; a
-- lease that runs out returns the job to the queue (or fails it at max_attempts).
CREATE TABLE jobs (
    id               text PRIMARY KEY,
    project_id       text REFERENCES projects (id),
    kind             text NOT NULL,
    status           text NOT NULL DEFAULT 'queued'
                     CHECK (status IN ('queued', 'leased', 'running', 'completed', 'failed', 'cancelled')),
    priority         integer NOT NULL DEFAULT 50,
    task_id          text REFERENCES tasks (id),
    params           jsonb NOT NULL DEFAULT '{}',
    -- Attempts that ended without completing; a worker's lease is fenced by it, so a worker whose
    -- job was taken back cannot report on the next attempt.
    attempts         integer NOT NULL DEFAULT 0,
    max_attempts     integer NOT NULL DEFAULT 3,
    not_before       timestamptz,
    worker_id        text,
    lease_expires_at timestamptz,
    progress_percent double precision,
    progress_message text,
    outputs          jsonb NOT NULL DEFAULT '[]',
    error            text,
    batch_id         text,
    created_by       text,
    created_at       timestamptz NOT NULL,
    started_at       timestamptz,
    finished_at      timestamptz
);
-- The claim: queued jobs of some kinds, highest priority then oldest first.
CREATE INDEX ix_jobs_queued ON jobs (kind, priority DESC, created_at, id) WHERE status = 'queued';
-- The sweep for leases that ran out.
CREATE INDEX ix_jobs_leases ON jobs (lease_expires_at) WHERE status IN ('leased', 'running');
