-- Notifications (decision 0038): one row per user told, removed by the sweep once expired. The
-- indexes named idx_* are the ones the improvements request lists; the one on user_id also holds
-- the list's order (a user's newest first, with the cursor's tie-break), so a notification written
-- with every status change updates one index fewer.
CREATE TABLE notifications (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id),
    type        TEXT NOT NULL,
    title       TEXT NOT NULL,
    message     TEXT NOT NULL,
    data        TEXT NOT NULL,
    is_read     INTEGER NOT NULL DEFAULT 0,
    priority    TEXT NOT NULL,
    project_id  TEXT,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);
CREATE INDEX idx_notifications_user_id ON notifications (user_id, created_at, id);
CREATE INDEX idx_notifications_created_at ON notifications (created_at);
CREATE INDEX idx_notifications_is_read ON notifications (is_read);
CREATE INDEX ix_notifications_expires ON notifications (expires_at);

-- What a user muted: notifications of these types or projects are never created for them.
CREATE TABLE notification_preferences (
    user_id         TEXT PRIMARY KEY REFERENCES users (id),
    muted           TEXT NOT NULL,
    muted_projects  TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);

-- The deadlines whose artist was reminded: once per task and deadline, whatever became of the notification.
CREATE TABLE deadline_reminders (
    task_id   TEXT NOT NULL REFERENCES tasks (id),
    deadline  TEXT NOT NULL,
    sent_at   TEXT NOT NULL,
    PRIMARY KEY (task_id, deadline)
);
CREATE INDEX idx_tasks_deadline ON tasks (deadline);

-- At most one sweep waits in the queue, whichever instance queued it.
CREATE UNIQUE INDEX ux_jobs_queued_notification_sweep ON jobs (kind) WHERE kind = 'notification_sweep' AND status = 'queued';
