-- library.sync_state was written by every sync and read by nothing: the state /api/me reports comes from the stale
-- reason and the running syncs. Replicas of an earlier version still write it, so deploy every replica together.
alter table library drop column sync_state;
