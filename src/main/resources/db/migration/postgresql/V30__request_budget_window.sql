-- The app-wide Spotify request budget as a sliding window that every replica shares: permits granted per slot (a
-- thirtieth of the window, numbered by the database's clock). Replaces Bucket4j's token bucket. With H2 (one instance)
-- the window lives in memory instead.
create table spotify_request_slots (
    name    varchar(64) not null,
    slot    bigint      not null,
    granted integer     not null,
    primary key (name, slot)
);

drop table spotify_request_bucket;
