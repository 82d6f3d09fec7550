/** Errors of the MWAA features: RefresherErrors (one notification path, one redaction path) with codes of their own. */
import { RefresherError, type ErrorCode } from '../errors';

export type MwaaErrorCode = Extract<ErrorCode, 'MwaaAccessDenied' | 'EnvironmentNotFound' | 'BucketNotVersioned' | 'NewerObjectVersion' | 'UpdateRejected' | 'UpdateFailed'>;

export function mwaaError(code: MwaaErrorCode, message: string, fix?: string, cause?: unknown): RefresherError {
  return new RefresherError(code, message, fix, cause === undefined ? undefined : { cause });
}
