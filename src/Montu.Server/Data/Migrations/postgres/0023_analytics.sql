-- Project analytics (decision 0040). doneStatuses: the task statuses that count as completed,
-- each one of the project's taskStatuses; existing projects keep the statuses that counted so far
-- (approved, completed) among those they have.
ALTER TABLE projects ADD COLUMN done_statuses jsonb NOT NULL DEFAULT '[]';
UPDATE projects SET done_statuses = (
    SELECT COALESCE(jsonb_agg(value ORDER BY position), '[]')
    FROM jsonb_array_elements_text(projects.task_statuses) WITH ORDINALITY AS s(value, position)
    WHERE value IN ('approved', 'completed'));
-- Analytics reads a project's status changes in one pass; this keeps it off the project's other events.
CREATE INDEX ix_events_project_type ON events (project_id, type, seq);
