-- Bucket4j's token bucket for the app-wide Spotify request budget (io.github.bucket4j.postgresql, select-for-update
-- flavour): one row, its state serialized by Bucket4j. With H2 (one instance) the bucket lives in memory instead.
create table spotify_request_bucket (
    id    varchar(64) not null primary key,
    state bytea
);
