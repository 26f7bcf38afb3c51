-- Pipeline settings of a project: rootMappings translates each drive to the folder other
-- operating systems mount it at; namingRules holds the regular expressions episode, sequence,
-- shot and asset names must match on CSV import.
ALTER TABLE projects ADD COLUMN root_mappings jsonb NOT NULL DEFAULT '{}';
ALTER TABLE projects ADD COLUMN naming_rules jsonb NOT NULL DEFAULT '{}';
