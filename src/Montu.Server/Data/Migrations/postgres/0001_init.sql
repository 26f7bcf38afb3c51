-- Projects, tasks, the event log, and the media rows project statistics count.
CREATE TABLE projects (
    id                text PRIMARY KEY,
    name              text NOT NULL,
    description       text NOT NULL DEFAULT '',
    status            text NOT NULL,
    drive_mapping     jsonb NOT NULL,
    path_segments     jsonb NOT NULL,
    templates         jsonb NOT NULL,
    filename_patterns jsonb NOT NULL,
    task_types        jsonb NOT NULL,
    milestones        jsonb NOT NULL,
    priority_levels   jsonb NOT NULL,
    task_statuses     jsonb NOT NULL,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL
);
-- Codes differing only by case would name the same folders on Windows drives.
CREATE UNIQUE INDEX ux_projects_id_lower ON projects (lower(id));
CREATE INDEX ix_projects_status ON projects (status);

CREATE TABLE tasks (
    id                       text PRIMARY KEY,
    project_id               text NOT NULL REFERENCES projects (id),
    type                     text NOT NULL,
    episode                  text,
    sequence                 text,
    shot                     text,
    asset                    text,
    task                     text NOT NULL,
    artist                   text,
    status                   text NOT NULL,
    status_before_archive    text,
    priority                 text NOT NULL,
    priority_rank            integer NOT NULL,
    milestone                text,
    milestone_note           text,
    frame_start              integer,
    frame_end                integer,
    start_time               timestamptz,
    deadline                 timestamptz,
    estimated_duration_hours double precision,
    actual_time_logged       double precision NOT NULL DEFAULT 0,
    versions                 jsonb NOT NULL DEFAULT '[]',
    current_version          text,
    published_version        text,
    file_extension           text,
    master_file              boolean NOT NULL DEFAULT false,
    working_file_path        text,
    render_output_path       text,
    media_file_path          text,
    cache_file_path          text,
    filename                 text,
    episode_clean            text,
    sequence_clean           text,
    shot_clean               text,
    description              text,
    custom_fields            jsonb NOT NULL DEFAULT '{}',
    search_text              text NOT NULL,
    created_by               text,
    created_at               timestamptz NOT NULL,
    updated_at               timestamptz NOT NULL
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
    id              text PRIMARY KEY,
    project_id      text NOT NULL REFERENCES projects (id),
    task_id         text REFERENCES tasks (id),
    version         text,
    file_name       text NOT NULL,
    media_type      text NOT NULL,
    size_bytes      bigint NOT NULL,
    approval_status text NOT NULL DEFAULT 'pending',
    created_at      timestamptz NOT NULL
);
CREATE INDEX ix_media_project ON media (project_id);

CREATE TABLE events (
    seq         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    type        text NOT NULL,
    project_id  text,
    entity_type text NOT NULL,
    entity_id   text NOT NULL,
    payload     jsonb NOT NULL,
    user_id     text,
    created_at  timestamptz NOT NULL
);
CREATE INDEX ix_events_project_seq ON events (project_id, seq);
