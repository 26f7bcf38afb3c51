-- Time logged on tasks (decision 0037). Hours are kept as whole hundredths of an hour, so sums
-- are exact: ten logs of 0.1 h are 1.00 h in the task's actualTimeLogged and in the daily check.
-- A log is deleted outright; the task's actualTimeLogged is the sum of the logs that remain.
CREATE TABLE time_logs (
    id          text PRIMARY KEY,
    task_id     text NOT NULL REFERENCES tasks (id),
    project_id  text NOT NULL REFERENCES projects (id),
    user_id     text NOT NULL REFERENCES users (id),
    date        text NOT NULL,
    hundredths  integer NOT NULL CHECK (hundredths > 0 AND hundredths <= 2400),
    note        text,
    created_by  text NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    revision    integer NOT NULL DEFAULT 1
);
CREATE INDEX ix_time_logs_user_date ON time_logs (user_id, date);
CREATE INDEX ix_time_logs_project_date ON time_logs (project_id, date, created_at, id);
CREATE INDEX ix_time_logs_task_date ON time_logs (task_id, date);
