-- Projects, tasks, the event log, and the media rows project statistics count.
CREATE TABLE projects (
    id                TEXT PRIMARY KEY,
    name              TEXT NOT NULL,
    description       TEXT NOT NULL DEFAULT '',
    status            TEXT NOT NULL,
    drive_mapping     TEXT NOT NULL,
    path_segments     TEXT NOT NULL,
    templates         TEXT NOT NULL,
    filename_patterns TEXT NOT NULL,
    task_types        TEXT NOT NULL,
    milestones        TEXT NOT NULL,
    priority_levels   TEXT NOT NULL,
    task_statuses     TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
-- Codes differing only by case would name the same folders on Windows drives.
CREATE UNIQUE INDEX ux_projects_id_lower ON projects (lower(id));
CREATE INDEX ix_projects_status ON projects (status);

CREATE TABLE tasks (
    id                       TEXT PRIMARY KEY,
    project_id               TEXT NOT NULL REFERENCES projects (id),
    type                     TEXT NOT NULL,
    episode                  TEXT,
    sequence                 TEXT,
    shot                     TEXT,
    asset                    TEXT,
    task                     TEXT NOT NULL,
    artist                   TEXT,
    status                   TEXT NOT NULL,
    status_before_archive    TEXT,
    priority                 TEXT NOT NULL,
    priority_rank            INTEGER NOT NULL,
    milestone                TEXT,
    milestone_note           TEXT,
    frame_start              INTEGER,
    frame_end                INTEGER,
    start_time               TEXT,
    deadline                 TEXT,
    estimated_duration_hours REAL,
    actual_time_logged       REAL NOT NULL DEFAULT 0,
    versions                 TEXT NOT NULL DEFAULT '[]',
    current_version          TEXT,
    published_version        TEXT,
    file_extension           TEXT,
    master_file              INTEGER NOT NULL DEFAULT 0,
    working_file_path        TEXT,
    render_output_path       TEXT,
    media_file_path          TEXT,
    cache_file_path          TEXT,
    filename                 TEXT,
    episode_clean            TEXT,
    sequence_clean           TEXT,
    shot_clean               TEXT,
    description              TEXT,
    custom_fields            TEXT NOT NULL DEFAULT '{}',
    search_text              TEXT NOT NULL,
    created_by               TEXT,
    created_at               TEXT NOT NULL,
    updated_at               TEXT NOT NULL
);
CREATE INDEX ix_tasks_project_id ON tasks (project_id, id);
CREATE INDEX ix_tasks_project_status ON tasks (project_id, status, id);
CREATE INDEX ix_tasks_project_artist ON tasks (project_id, artist, id);
CREATE INDEX ix_tasks_project_updated ON tasks (project_id, updated_at, id);
CREATE INDEX ix_tasks_project_created ON tasks (project_id, created_at, id);
CREATE INDEX ix_tasks_project_deadline ON tasks (project_id, deadline, id);
CREATE INDEX ix_tasks_project_priority ON tasks (project_id, priority_rank, id);
CREATE INDEX ix_tasks_project_shot ON tasks (project_id, episode, sequence, shot);
CREATE INDEX ix_tasks_project_task ON tasks (project_id, task);
CREATE INDEX ix_tasks_project_milestone ON tasks (project_id, milestone);
CREATE INDEX ix_tasks_updated ON tasks (updated_at, id);
CREATE INDEX ix_tasks_created ON tasks (created_at, id);

CREATE TABLE media (
    id              TEXT PRIMARY KEY,
    project_id      TEXT NOT NULL REFERENCES projects (id),
    task_id         TEXT REFERENCES tasks (id),
    version         TEXT,
    file_name       TEXT NOT NULL,
    media_type      TEXT NOT NULL,
    size_bytes      INTEGER NOT NULL,
    approval_status TEXT NOT NULL DEFAULT 'pending',
    created_at      TEXT NOT NULL
);
CREATE INDEX ix_media_project ON media (project_id);

CREATE TABLE events (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    type        TEXT NOT NULL,
    project_id  TEXT,
    entity_type TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    payload     TEXT NOT NULL,
    user_id     TEXT,
    created_at  TEXT NOT NULL
);
CREATE INDEX ix_events_project_seq ON events (project_id, seq);
