-- Each task's wire JSON, rewritten with every change to the row, so lists and reads send it
-- as it is instead of mapping forty columns per task. Rows from before this migration are
-- filled in at start-up (TaskDocuments.BackfillAsync).
ALTER TABLE tasks ADD COLUMN doc TEXT;
