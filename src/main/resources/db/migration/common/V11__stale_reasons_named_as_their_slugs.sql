-- A stale reason is stored under its name, which is now its slug in capitals for every reason (slugs are unchanged).
update library set stale_reason = 'SPOTIFY_OWNER_PREMIUM_REQUIRED' where stale_reason = 'SPOTIFY_OWNER_PREMIUM_LAPSED';
update library set stale_reason = 'FULL_SYNC_BUDGET_USED' where stale_reason = 'FULL_SYNCS_EXHAUSTED';
