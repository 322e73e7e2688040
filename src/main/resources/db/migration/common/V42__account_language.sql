-- The language Spotify is asked to name artists and tracks in (an Accept-Language value): taken from the browser
-- at sign-in, changeable on the page; null sends the operator's default.
alter table account add column accept_language varchar(200);
