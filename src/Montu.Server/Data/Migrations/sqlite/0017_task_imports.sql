-- CSV imports run as jobs (decision 0031): one row per job of kind task_import, holding what a
-- restarted worker needs to go on where the last committed batch ended. processed_rows and the
-- counts are written in the same transaction as each batch's tasks, so they never disagree.
CREATE TABLE task_imports (
    job_id         TEXT PRIMARY KEY REFERENCES jobs (id),
    project_id     TEXT NOT NULL REFERENCES projects (id),
    created_by     TEXT NOT NULL,
    file_key       TEXT NOT NULL,
    total_rows     INTEGER NOT NULL,
    processed_rows INTEGER NOT NULL DEFAULT 0,
    invalid_tasks  INTEGER NOT NULL DEFAULT 0,
    created_tasks  INTEGER NOT NULL DEFAULT 0,
    updated_tasks  INTEGER NOT NULL DEFAULT 0,
    skipped_tasks  INTEGER NOT NULL DEFAULT 0,
    errors         TEXT NOT NULL DEFAULT '[]',
    preview        TEXT NOT NULL DEFAULT '[]'
);
