-- One index of unsent messages in id order replaces the two (by due time, and by key): every
-- state change enqueues a message, and the index by key put each one on a page of its own
-- (a quarter of the pages a command wrote). ClaimOutbox now walks the unsent messages in id
-- order and keeps each key's order itself: an unsent message blocks the later ones of its key.
DROP INDEX outbox_pending;
DROP INDEX outbox_key_order;
CREATE INDEX outbox_unsent ON outbox (id) WHERE sent_at IS NULL;
