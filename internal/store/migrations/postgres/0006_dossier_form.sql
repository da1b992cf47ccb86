-- The whole applicant form of a dossier, sealed like the other personal data (it repeats the
-- applicant's ID and phone and may hold other people's IDs).
ALTER TABLE dossier_pii ADD COLUMN form_sealed TEXT;
