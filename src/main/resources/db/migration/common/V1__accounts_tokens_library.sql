-- People who signed in with Spotify. The Spotify user id is the identity.
create table account (
    spotify_id      varchar(255) not null primary key,
    display_name    varchar(255),
    reauth_required boolean      not null default false,
    created_at      timestamp with time zone not null,
    updated_at      timestamp with time zone not null
);

-- Spotify tokens, encrypted with AES-GCM by the application ("v1:<key id>:<base64>"); never plaintext.
create table spotify_token (
    account_id       varchar(255) not null primary key references account (spotify_id) on delete cascade,
    access_token     varchar(4096) not null,
    access_issued_at timestamp with time zone,
    access_expires_at timestamp with time zone,
    refresh_token    varchar(4096),
    scopes           varchar(1024) not null,
    updated_at       timestamp with time zone not null
);

-- One cached library per account, with its sync metadata.
create table library (
    account_id  varchar(255) not null primary key references account (spotify_id) on delete cascade,
    total       integer      not null,
    sync_state  varchar(32)  not null,
    synced_at   timestamp with time zone,
    checked_at  timestamp with time zone,
    last_error  varchar(255),
    version     bigint       not null
);

-- The cached tracks. seq grows with newer saves (order by seq desc = Spotify's order), so tracks
-- saved later are inserted at the top without renumbering the rest.
create table library_track (
    account_id varchar(255) not null references account (spotify_id) on delete cascade,
    seq        integer      not null,
    track_key  varchar(255) not null,
    added_at   varchar(64),
    item_json  varchar      not null,
    primary key (account_id, seq)
);

create index library_track_key on library_track (account_id, track_key);
