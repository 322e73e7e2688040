-- Short-lived links to download one person's library (handed to AI agents by the MCP export tool).
-- Only a SHA-256 hash of each link's token is stored; the token itself is in the link only.
create table download_link (
    token_hash varchar(64)  not null primary key,
    account_id varchar(255) not null references account (spotify_id) on delete cascade,
    format     varchar(16)  not null,
    expires_at timestamp with time zone not null
);

create index download_link_expiry on download_link (expires_at);
create index download_link_account on download_link (account_id);
