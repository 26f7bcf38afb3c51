-- Time logged on tasks (decision 0037). Hours are kept as whole hundredths of an hour, so sums
-- are exact: ten logs of 0.1 h are 1.00 h in the task's actualTimeLogged and in the daily check.
-- A log is deleted outright; the task's actualTimeLogged is the sum of the logs that remain.
CREATE TABLE time_logs (
    id          TEXT PRIMARY KEY,
    task_id     TEXT NOT NULL REFERENCES tasks (id),
    project_id  TEXT NOT NULL REFERENCES projects (id),
    user_id     TEXT NOT NULL REFERENCES users (id),
    date        TEXT NOT NULL,
    hundredths  INTEGER NOT NULL CHECK (hundredths > 0 AND hundredths <= 2400),
    note        TEXT,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    revision    INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX ix_time_logs_user_date ON time_logs (user_id, date);
CREATE INDEX ix_time_logs_project_date ON time_logs (project_id, date, created_at, id);
CREATE INDEX ix_time_logs_task_date ON time_logs (task_id, date);
