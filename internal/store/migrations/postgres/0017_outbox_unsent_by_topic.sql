-- The unsent messages by topic, then id: the national portal's dispatcher claims its own
-- topic's messages along this index, and never reads the pile of another topic that nothing
-- delivers (SMS and e-mail to applicants without a gateway). Same size and the same one
-- right-edge page per topic written by each command as the index by id it replaces.
DROP INDEX outbox_unsent;
CREATE INDEX outbox_unsent ON outbox (topic, id) WHERE sent_at IS NULL;
