-- The task path fields a client set to a value of its own, as bit flags (1 workingFilePath,
-- 2 renderOutputPath, 4 mediaFilePath, 8 cacheFilePath, 16 filename); the others are laid out
-- from the project's templates. Until now only clients wrote these fields, so every value
-- already there is a client's.
ALTER TABLE tasks ADD COLUMN pinned_paths INTEGER NOT NULL DEFAULT 0;
UPDATE tasks SET pinned_paths =
      (CASE WHEN working_file_path IS NULL THEN 0 ELSE 1 END)
    + (CASE WHEN render_output_path IS NULL THEN 0 ELSE 2 END)
    + (CASE WHEN media_file_path IS NULL THEN 0 ELSE 4 END)
    + (CASE WHEN cache_file_path IS NULL THEN 0 ELSE 8 END)
    + (CASE WHEN filename IS NULL THEN 0 ELSE 16 END)
WHERE coalesce(working_file_path, render_output_path, media_file_path, cache_file_path, filename) IS NOT NULL;
-- The other fields of the tasks already there are laid out in the background, a job per project.
INSERT INTO jobs (id, project_id, kind, created_at)
SELECT 'job_' || lower(hex(randomblob(13))), id, 'task_paths', strftime('%Y-%m-%d %H:%M:%f', 'now')
FROM projects
WHERE EXISTS (SELECT 1 FROM tasks WHERE tasks.project_id = projects.id);
