-- Who uploaded each stored file. Files are stored once by content hash, but a document may only
-- be referenced by hash (at submission, in a supplement, in a result) by a principal who
-- uploaded that content, or when it is already part of the dossier: knowing a hash must not be
-- enough to attach somebody else's document to one's own dossier and then read it.
CREATE TABLE file_uploads (
    hash       TEXT NOT NULL,
    uploader   TEXT NOT NULL, -- principal kind and subject, e.g. "officer:xa-tan-cuong.desk1"
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (hash, uploader)
) WITHOUT ROWID;
