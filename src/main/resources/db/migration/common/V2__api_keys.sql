-- Per-account API keys for other services. Only a SHA-256 hash of each key is stored; the key itself is shown once.
create table api_key (
    id           varchar(36)  not null primary key,
    account_id   varchar(255) not null references account (spotify_id) on delete cascade,
    name         varchar(100) not null,
    key_hash     varchar(64)  not null,
    key_hint     varchar(16)  not null,
    created_at   timestamp with time zone not null,
    expires_at   timestamp with time zone,
    last_used_at timestamp with time zone
);

create unique index api_key_hash on api_key (key_hash);
create index api_key_account on api_key (account_id);
