-- The (account_id, track_key) index cost more than it saved: a full sync rewrites the whole library, and keeping
-- a second index over thousands of rows doubled that write. The only query by track_key (re-saved tracks during an
-- incremental revalidation) reads one account's rows through the primary key prefix instead.
drop index library_track_key;
