-- When the person last authorised the app at Spotify (a browser sign-in): Spotify's refresh tokens end six months
-- later, and refreshing does not extend them. Accounts from before are estimated by their last update, until
-- their next sign-in records the real time.
alter table account add column authorized_at timestamp with time zone;
update account set authorized_at = updated_at;
