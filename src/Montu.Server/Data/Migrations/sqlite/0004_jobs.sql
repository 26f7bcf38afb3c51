-- Durable background work: one row per job, claimed by the server's own workers or, later, by
-- external workers over HTTP. A claim leases the job to one worker until lease_expires_at; a
-- lease that runs out returns the job to the queue (or fails it at max_attempts).
CREATE TABLE jobs (
    id               TEXT PRIMARY KEY,
    project_id       TEXT REFERENCES projects (id),
    kind             TEXT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'queued'
                     CHECK (status IN ('queued', 'leased', 'running', 'completed', 'failed', 'cancelled')),
    priority         INTEGER NOT NULL DEFAULT 50,
    task_id          TEXT REFERENCES tasks (id),
    params           TEXT NOT NULL DEFAULT '{}',
    -- Attempts that ended without completing; a worker's lease is fenced by it, so a worker whose
    -- job was taken back cannot report on the next attempt.
    attempts         INTEGER NOT NULL DEFAULT 0,
    max_attempts     INTEGER NOT NULL DEFAULT 3,
    not_before       TEXT,
    worker_id        TEXT,
    lease_expires_at TEXT,
    progress_percent REAL,
    progress_message TEXT,
    outputs          TEXT NOT NULL DEFAULT '[]',
    error            TEXT,
    batch_id         TEXT,
    created_by       TEXT,
    created_at       TEXT NOT NULL,
    started_at       TEXT,
    finished_at      TEXT
);
-- The claim: queued jobs of some kinds, highest priority then oldest first.
CREATE INDEX ix_jobs_queued ON jobs (kind, priority DESC, created_at, id) WHERE status = 'queued';
-- The sweep for leases that ran out.
CREATE INDEX ix_jobs_leases ON jobs (lease_expires_at) WHERE status IN ('leased', 'running');
