-- Breakdown entities (decision 0041): episodes, sequences, shots and assets in one table, told
-- apart by kind. A task belongs to its entity by project and clean names, never by a column of its
-- own; asset_clean is the one clean name tasks did not keep yet.
ALTER TABLE tasks ADD COLUMN asset_clean TEXT;
-- Clean form of docs/api.md §Paths: lowercased, spaces to _, characters outside [a-z0-9._-] dropped.
UPDATE tasks SET asset_clean = regexp_replace(replace(lower(asset), ' ', '_'), '[^a-z0-9._-]', '', 'g')
WHERE type = 'asset' AND asset IS NOT NULL;
CREATE INDEX ix_tasks_project_shot_clean ON tasks (project_id, episode_clean, sequence_clean, shot_clean);
CREATE INDEX ix_tasks_project_asset_clean ON tasks (project_id, asset_clean);

CREATE TABLE breakdown (
    kind               TEXT NOT NULL,
    id                 TEXT NOT NULL,
    project_id         TEXT NOT NULL REFERENCES projects (id),
    name_key           TEXT NOT NULL,
    episode_key        TEXT,
    sequence_key       TEXT,
    shot_key           TEXT,
    episode            TEXT,
    sequence           TEXT,
    shot               TEXT,
    name               TEXT,
    cut_order          INTEGER,
    frame_in           INTEGER,
    frame_out          INTEGER,
    handles            INTEGER,
    fps                double precision,
    description        TEXT,
    status             TEXT NOT NULL DEFAULT 'active',
    thumbnail_media_id TEXT,
    asset_type         TEXT,
    reference_media_ids jsonb NOT NULL DEFAULT '[]',
    generation_profile jsonb NOT NULL DEFAULT '{}',
    custom_fields      jsonb NOT NULL DEFAULT '{}',
    created_by         TEXT,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    revision           INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (kind, id)
);
-- The identity of an entity in its project: its clean names, joined by '/' (never in a clean name).
CREATE UNIQUE INDEX ux_breakdown_names ON breakdown (kind, project_id, name_key);
CREATE INDEX ix_breakdown_project_order ON breakdown (kind, project_id, episode_key, sequence_key, cut_order, id);

CREATE TABLE shot_casting (
    shot_id  TEXT NOT NULL,
    asset_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (shot_id, asset_id)
);
CREATE INDEX ix_shot_casting_asset ON shot_casting (asset_id, shot_id);

-- Backfill: one entity for every name existing tasks use. The derived id goes to the project whose
-- first task came first; any other project with the same derived id gets its code in front.
WITH names AS (
    SELECT project_id, episode_clean AS k, MIN(episode) AS episode, MIN(created_at) AS first_at
    FROM tasks WHERE type = 'shot' AND episode_clean IS NOT NULL GROUP BY project_id, episode_clean),
ranked AS (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY k ORDER BY first_at, project_id) AS claim,
              ROW_NUMBER() OVER (PARTITION BY project_id ORDER BY k) AS position FROM names)
INSERT INTO breakdown (kind, id, project_id, name_key, episode_key, episode, cut_order, created_at, updated_at)
SELECT 'episode', CASE WHEN claim = 1 THEN k ELSE lower(project_id) || '_' || k END, project_id, k, k, episode, position, first_at, first_at
FROM ranked;

WITH names AS (
    SELECT project_id, episode_clean AS e, sequence_clean AS s, episode_clean || '_' || sequence_clean AS k,
           MIN(episode) AS episode, MIN(sequence) AS sequence, MIN(created_at) AS first_at
    FROM tasks WHERE type = 'shot' AND episode_clean IS NOT NULL AND sequence_clean IS NOT NULL
    GROUP BY project_id, episode_clean, sequence_clean),
ranked AS (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY k ORDER BY first_at, project_id, e) AS claim,
              ROW_NUMBER() OVER (PARTITION BY project_id, e ORDER BY s) AS position FROM names)
INSERT INTO breakdown (kind, id, project_id, name_key, episode_key, sequence_key, episode, sequence, cut_order, created_at, updated_at)
SELECT 'sequence', CASE WHEN claim = 1 THEN k ELSE lower(project_id) || '_' || k END, project_id, e || '/' || s, e, s, episode, sequence,
       position, first_at, first_at
FROM ranked;

WITH names AS (
    SELECT project_id, episode_clean AS e, sequence_clean AS s, shot_clean AS h,
           episode_clean || '_' || sequence_clean || '_' || shot_clean AS k,
           MIN(episode) AS episode, MIN(sequence) AS sequence, MIN(shot) AS shot, MIN(created_at) AS first_at
    FROM tasks WHERE type = 'shot' AND episode_clean IS NOT NULL AND sequence_clean IS NOT NULL AND shot_clean IS NOT NULL
    GROUP BY project_id, episode_clean, sequence_clean, shot_clean),
ranked AS (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY k ORDER BY first_at, project_id, e, s) AS claim,
              ROW_NUMBER() OVER (PARTITION BY project_id, e, s ORDER BY h) AS position FROM names)
INSERT INTO breakdown (kind, id, project_id, name_key, episode_key, sequence_key, shot_key, episode, sequence, shot, cut_order, created_at, updated_at)
SELECT 'shot', CASE WHEN claim = 1 THEN k ELSE lower(project_id) || '_' || k END, project_id, e || '/' || s || '/' || h, e, s, h,
       episode, sequence, shot, position, first_at, first_at
FROM ranked;

WITH names AS (
    SELECT project_id, asset_clean AS k, MIN(asset) AS name, MIN(created_at) AS first_at
    FROM tasks WHERE type = 'asset' AND asset_clean IS NOT NULL GROUP BY project_id, asset_clean),
ranked AS (SELECT *, ROW_NUMBER() OVER (PARTITION BY k ORDER BY first_at, project_id) AS claim FROM names)
INSERT INTO breakdown (kind, id, project_id, name_key, name, asset_type, created_at, updated_at)
SELECT 'asset', CASE WHEN claim = 1 THEN k ELSE lower(project_id) || '_' || k END, project_id, k, name, 'other', first_at, first_at
FROM ranked;
