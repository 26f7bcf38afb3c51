-- Activity and audit read the event log newest first (decision 0039). Filters by project and by
-- entity have their indexes already (0001, 0009); these serve the others without a scan of the
-- whole log: by acting user, by event type, and the events of no project that audit lists.
CREATE INDEX ix_events_user_seq ON events (user_id, seq);
CREATE INDEX ix_events_type_seq ON events (type, seq);
CREATE INDEX ix_events_unscoped_seq ON events (seq) WHERE project_id IS NULL;
-- A task's history finds the bulk changes and imports that name it by their taskIds, without
-- reading every bulk event of its project. SQLite has no such index: it reads those events.
CREATE INDEX ix_events_task_ids ON events USING gin ((payload -> 'taskIds') jsonb_path_ops) WHERE entity_type = 'tasks';
