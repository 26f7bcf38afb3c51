-- The event log's pruning is one job that queues its successor: at most one may wait in the queue,
-- however many instances start at once.
CREATE UNIQUE INDEX ux_jobs_queued_event_pruning ON jobs (kind) WHERE kind = 'event_pruning' AND status = 'queued';
