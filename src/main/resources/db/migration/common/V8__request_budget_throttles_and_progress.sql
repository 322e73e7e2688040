-- The app-wide Spotify request budget as it adapts to 429s (AIMD), shared by every replica: the configured budget,
-- the requests allowed per window now, and a version that every change moves, so each replica reshapes its bucket.
create table spotify_request_budget (
    name         varchar(32) not null primary key,
    configured   integer     not null,
    allowed      integer     not null,
    version      bigint      not null,
    decreased_at timestamp with time zone not null,
    changed_at   timestamp with time zone not null
);

-- Full syncs of a library per day are limited: how many since when.
alter table library add column full_syncs integer not null default 0;
alter table library add column full_syncs_since timestamp with time zone;

-- When the library was last read (at most hourly precision), for the background warm-up of libraries in use.
alter table library add column read_at timestamp with time zone;

-- How far a running sync has got, for the progress bar of whichever replica the browser asks.
create table library_sync_progress (
    account_id    varchar(255) not null primary key,
    replica       varchar(64)  not null,
    pages_fetched integer      not null,
    pages_total   integer      not null,
    updated_at    timestamp with time zone not null
);
