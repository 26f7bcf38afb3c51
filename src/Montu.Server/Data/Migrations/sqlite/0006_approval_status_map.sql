-- What approving a media version does to its task, per project; empty keeps the defaults
-- (approved → approved, rejected and needs_revision → needs_revision).
ALTER TABLE projects ADD COLUMN approval_status_map TEXT NOT NULL DEFAULT '{}';
