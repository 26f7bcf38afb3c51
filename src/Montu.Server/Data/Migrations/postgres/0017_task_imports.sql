-- CSV imports run as jobs (decision 0031): one row per job of kind task_import, holding what a
-- restarted worker needs to go on where the last committed batch ended. processed_rows and the
-- counts are written in the same transaction as each batch's tasks, so they never disagree.
CREATE TABLE task_imports (
    job_id         text PRIMARY KEY REFERENCES jobs (id),
    project_id     text NOT NULL REFERENCES projects (id),
    created_by     text NOT NULL,
    file_key       text NOT NULL,
    total_rows     integer NOT NULL,
    processed_rows integer NOT NULL DEFAULT 0,
    invalid_tasks  integer NOT NULL DEFAULT 0,
    created_tasks  integer NOT NULL DEFAULT 0,
    updated_tasks  integer NOT NULL DEFAULT 0,
    skipped_tasks  integer NOT NULL DEFAULT 0,
    errors         text NOT NULL DEFAULT '[]',
    preview        text NOT NULL DEFAULT '[]'
);
