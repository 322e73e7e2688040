-- A full sync writes the new copy of a library as a new generation while its pages arrive, then one small update of
-- library.generation switches readers to it; the previous generation is deleted afterwards. Until the switch,
-- readers keep seeing the previous complete copy, and a sync that fails or dies leaves only rows no reader looks at.
alter table library add column generation bigint not null default 0;

alter table library_track rename to library_track_v1;

create table library_track (
    account_id varchar(255) not null references account (spotify_id) on delete cascade,
    generation bigint       not null,
    seq        integer      not null,
    track_key  varchar(255) not null,
    added_at   varchar(64),
    item_json  varchar      not null,
    constraint library_track_generation_pk primary key (account_id, generation, seq)
);

insert into library_track (account_id, generation, seq, track_key, added_at, item_json)
    select account_id, 0, seq, track_key, added_at, item_json from library_track_v1;

drop table library_track_v1;
