-- The service as the OAuth 2.1 authorization server of its MCP endpoint (AI apps that connect with OAuth).

-- Clients: registered dynamically (RFC 7591) or described by a client metadata document whose URL is the client_id.
-- Spring Security's JdbcRegisteredClientRepository reads and writes it; client secrets are stored only hashed
-- (bcrypt). authorized_at is set when a person first completes an authorization with the client: clients that never
-- do are deleted after a while, so anonymous registrations cannot grow the table without bound.
create table oauth2_registered_client (
    id                            varchar(100)  not null primary key,
    client_id                     varchar(1000) not null,
    client_id_issued_at           timestamp with time zone default current_timestamp not null,
    client_secret                 varchar(200),
    client_secret_expires_at      timestamp with time zone,
    client_name                   varchar(200)  not null,
    client_authentication_methods varchar(1000) not null,
    authorization_grant_types     varchar(1000) not null,
    redirect_uris                 varchar(4000),
    post_logout_redirect_uris     varchar(1000),
    scopes                        varchar(1000) not null,
    client_settings               varchar(2000) not null,
    token_settings                varchar(2000) not null,
    metadata_document             boolean       default false not null,
    metadata_fetched_at           timestamp with time zone,
    authorized_at                 timestamp with time zone
);

create unique index oauth2_registered_client_client_id on oauth2_registered_client (client_id);
create index oauth2_registered_client_pending on oauth2_registered_client (authorized_at, client_id_issued_at);

-- What a person allowed a client to read, remembered until they revoke it (Spring Security's
-- JdbcOAuth2AuthorizationConsentService). Goes with the person and with the client.
create table oauth2_authorization_consent (
    registered_client_id varchar(100)  not null references oauth2_registered_client (id) on delete cascade,
    principal_name       varchar(255)  not null references account (spotify_id) on delete cascade,
    authorities          varchar(1000) not null,
    granted_at           timestamp with time zone default current_timestamp not null,
    primary key (registered_client_id, principal_name)
);

create index oauth2_authorization_consent_principal on oauth2_authorization_consent (principal_name);

-- Grants: one row per authorization (code, then access and refresh tokens). Every credential is stored only as its
-- SHA-256 hash, like API keys; the resource (RFC 8707) is the audience its tokens are valid for.
create table mcp_authorization (
    id                   varchar(100)  not null primary key,
    registered_client_id varchar(100)  not null references oauth2_registered_client (id) on delete cascade,
    principal_name       varchar(255)  not null references account (spotify_id) on delete cascade,
    grant_type           varchar(100)  not null,
    authorized_scopes    varchar(1000),
    resource             varchar(1000),
    request              varchar(8000),
    state_hash           varchar(64),
    code_hash            varchar(64),
    code_issued_at       timestamp with time zone,
    code_expires_at      timestamp with time zone,
    code_invalidated     boolean       default false not null,
    access_hash          varchar(64),
    access_issued_at     timestamp with time zone,
    access_expires_at    timestamp with time zone,
    access_scopes        varchar(1000),
    access_invalidated   boolean       default false not null,
    refresh_hash         varchar(64),
    refresh_issued_at    timestamp with time zone,
    refresh_expires_at   timestamp with time zone,
    refresh_invalidated  boolean       default false not null,
    created_at           timestamp with time zone not null,
    updated_at           timestamp with time zone not null
);

create unique index mcp_authorization_state on mcp_authorization (state_hash);
create unique index mcp_authorization_code on mcp_authorization (code_hash);
create unique index mcp_authorization_access on mcp_authorization (access_hash);
create unique index mcp_authorization_refresh on mcp_authorization (refresh_hash);
create index mcp_authorization_principal on mcp_authorization (principal_name, registered_client_id);
create index mcp_authorization_updated on mcp_authorization (updated_at);

-- Refresh tokens already exchanged for new ones: presenting one again means it leaked, and revokes its grant.
create table mcp_retired_refresh_token (
    token_hash       varchar(64)  not null primary key,
    authorization_id varchar(100) not null references mcp_authorization (id) on delete cascade,
    retired_at       timestamp with time zone not null
);

create index mcp_retired_refresh_token_authorization on mcp_retired_refresh_token (authorization_id);
