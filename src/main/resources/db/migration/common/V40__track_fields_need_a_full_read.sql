-- Tracks now keep every field a development-mode app still gets (disc and track number, the album's type,
-- track count, date precision and artists). Copies stored before hold their tracks without them: the next
-- sync of each library reads it whole again (a null full_synced_at makes a full reconciliation due).
update library set full_synced_at = null;
