-- Work-file versions allocated by POST /tasks/{id}/versions: one row per number, so two
-- concurrent allocations can never hand out the same one. The task keeps its own copy in its
-- versions and currentVersion fields; these rows hold who made each version, when, and why.
CREATE TABLE work_file_versions (
    task_id    TEXT NOT NULL REFERENCES tasks (id),
    number     INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    comment    TEXT,
    PRIMARY KEY (task_id, number)
);
