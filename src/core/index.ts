/** The pure core: parsing, rewriting, expiry, redaction, S3 locations, errors. No `vscode`, no AWS SDK. */
export * from './errors';
export * from './endpoints';
export { classifyTokenText, type TokenTextKind } from './tokenText';
export { readTokenExpiry, readJweHeader, looksLikeJwe } from './token';
export { redact, MASK, MIN_SECRET_LENGTH } from './redact';
export * from './expiry';
export * from './s3location';
export { LineCounter } from './lines';
