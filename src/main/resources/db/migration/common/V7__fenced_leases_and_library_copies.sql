-- Fencing: every acquisition of a lease gets a new number, and writes made under a lease first lock its row and
-- check that they still hold it, so a replica whose lease lapsed (a database blip stopped its renewals) cannot
-- write after another replica took over.
alter table lease add column fence bigint not null default 0;

-- What a library copy holds and how it was obtained (issue 11): the number of tracks served, Spotify's own count
-- (which also counts tracks unavailable in the person's market), items Spotify sent as "track": null and
-- duplicates that were dropped, and a digest of the copy's items, which tells whether Spotify's answers are the
-- same as last time when they disagree among themselves.
alter table library add column spotify_total integer not null default 0;
alter table library add column removed_items integer not null default 0;
alter table library add column duplicate_items integer not null default 0;
alter table library add column content_digest varchar(64);
update library set spotify_total = total;

-- A copy is identified by its generation and the highest seq it holds: adding tracks on top adds rows above
-- top_seq, so a reader that started earlier reads exactly its own copy, in chunks, without a transaction.
alter table library add column top_seq integer not null default 0;
update library set top_seq = (select coalesce(max(t.seq), 0) from library_track t
    where t.account_id = library.account_id and t.generation = library.generation);

-- A random number chosen when the library row is created: ETags differ across a deletion and a new sign-in.
alter table library add column epoch bigint not null default 0;

-- When the copy was last fully reconciled with Spotify, and why (and until when) syncing is backing off.
alter table library add column full_synced_at timestamp with time zone;
update library set full_synced_at = synced_at;
alter table library add column stale_reason varchar(32);
alter table library add column failures integer not null default 0;
alter table library add column retry_at timestamp with time zone;

-- The previous copy is kept for a grace period after a newer one replaced it, for downloads still reading it.
alter table library add column retired_generation bigint;
alter table library add column retired_at timestamp with time zone;

-- Why every Spotify call of the app pauses: a rate limit, or the app's quota (reported differently to callers).
alter table rate_limit_pause add column reason varchar(32);
