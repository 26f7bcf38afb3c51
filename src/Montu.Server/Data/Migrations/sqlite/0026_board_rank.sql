-- Kanban board position (decision 0043). board_rank orders a project's tasks in one sequence;
-- each board column shows its tasks in that order. Existing tasks are ranked in creation order,
-- as new tasks are: 'b' + the row's place in its project (8 digits) + '1', below every key a new
-- task gets ('c' + its creation time), and never ending in '0' so a key between any two exists.
ALTER TABLE tasks ADD COLUMN board_rank TEXT NOT NULL DEFAULT '';
UPDATE tasks SET board_rank = ranked.rank
FROM (SELECT id, 'b' || printf('%08d', ROW_NUMBER() OVER (PARTITION BY project_id ORDER BY created_at, id)) || '1' AS rank FROM tasks) AS ranked
WHERE tasks.id = ranked.id;
CREATE INDEX ix_tasks_project_board ON tasks (project_id, board_rank, id);
CREATE INDEX ix_tasks_project_status_board ON tasks (project_id, status, board_rank, id);
CREATE INDEX ix_tasks_project_artist_board ON tasks (project_id, artist, board_rank, id);
CREATE INDEX ix_tasks_project_task_board ON tasks (project_id, task, board_rank, id);
