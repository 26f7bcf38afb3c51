-- Task workflow (decision 0042). taskTypeStatuses: per task type, the statuses its tasks may take,
-- each a non-empty subset of the project's taskStatuses; a type left out takes them all.
ALTER TABLE projects ADD COLUMN task_type_statuses jsonb NOT NULL DEFAULT '{}';

-- A task waits on its prerequisites (finish to start), always of its own project. The key serves
-- "what does this task wait on" (and the blocked filter's EXISTS); the second index serves
-- "who waits on this task" (dependents, unblocking).
CREATE TABLE task_dependencies (
    task_id     text NOT NULL REFERENCES tasks (id),
    depends_on  text NOT NULL REFERENCES tasks (id),
    project_id  text NOT NULL REFERENCES projects (id),
    kind        text NOT NULL,
    created_by  text,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (task_id, depends_on),
    CHECK (task_id <> depends_on)
);
CREATE INDEX ix_task_dependencies_depends_on ON task_dependencies (depends_on, task_id);

-- Saved task-list views: a user's own, or shared with the project's readers.
CREATE TABLE saved_views (
    id          text PRIMARY KEY,
    project_id  text NOT NULL REFERENCES projects (id),
    owner_id    text NOT NULL REFERENCES users (id),
    name        text NOT NULL,
    resource    text NOT NULL,
    query       jsonb NOT NULL,
    shared      boolean NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);
CREATE INDEX ix_saved_views_project_owner ON saved_views (project_id, owner_id);
CREATE INDEX ix_saved_views_project_shared ON saved_views (project_id, shared);
