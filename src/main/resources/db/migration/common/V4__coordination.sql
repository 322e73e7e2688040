-- Leases coordinate replicas sharing this database: one sync per library and one refresh per token at a time.
-- A lease expires by itself, so a replica that dies holding one blocks the others only until expires_at.
create table lease (
    name       varchar(255) not null primary key,
    holder     varchar(64)  not null,
    expires_at timestamp with time zone not null
);

-- The app-wide pause Spotify asked for (429 Retry-After), seen by every replica.
create table rate_limit_pause (
    name         varchar(32) not null primary key,
    paused_until timestamp with time zone not null
);

insert into rate_limit_pause (name, paused_until) values ('spotify', timestamp with time zone '1970-01-01 00:00:00+00');
