// Package files stores the documents uploaded with dossiers: the bytes live in a Blob store
// under their SHA-256 (a local folder by default, S3-compatible object storage later), and
// Save is the one gate every upload passes through: size limit, type sniffed from the content
// (PDF, JPEG, PNG, DOCX, XLSX by default), a type that disagrees with the file name refused as
// disguised, and a sanitized name safe to show and to offer as a download.
//
// Content addressing makes storage idempotent and deduplicating: the same scan uploaded twice,
// or by twenty clients at once, is one blob. The metadata LEGAL §3 asks for (document-type
// code, owner's ID number, summary, validity) belongs to the dossier's document record
// (dossier.Document), which refers to the blob by Stored.Hash.
package files
