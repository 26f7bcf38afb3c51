-- Task workflow (decision 0042). taskTypeStatuses: per task type, the statuses its tasks may take,
-- each a non-empty subset of the project's taskStatuses; a type left out takes them all.
ALTER TABLE projects ADD COLUMN task_type_statuses TEXT NOT NULL DEFAULT '{}';

-- A task waits on its prerequisites (finish to start), always of its own project. The key serves
-- "what does this task wait on" (and the blocked filter's EXISTS); the second index serves
-- "who waits on this task" (dependents, unblocking).
CREATE TABLE task_dependencies (
    task_id     TEXT NOT NULL REFERENCES tasks (id),
    depends_on  TEXT NOT NULL REFERENCES tasks (id),
    project_id  TEXT NOT NULL REFERENCES projects (id),
    kind        TEXT NOT NULL,
    created_by  TEXT,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (task_id, depends_on),
    CHECK (task_id <> depends_on)
) WITHOUT ROWID;
CREATE INDEX ix_task_dependencies_depends_on ON task_dependencies (depends_on, task_id);

-- Saved task-list views: a user's own, or shared with the project's readers.
CREATE TABLE saved_views (
    id          TEXT PRIMARY KEY,
    project_id  TEXT NOT NULL REFERENCES projects (id),
    owner_id    TEXT NOT NULL REFERENCES users (id),
    name        TEXT NOT NULL,
    resource    TEXT NOT NULL,
    query       TEXT NOT NULL,
    shared      INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX ix_saved_views_project_owner ON saved_views (project_id, owner_id);
CREATE INDEX ix_saved_views_project_shared ON saved_views (project_id, shared);
