/**
 * Errors of the MWAA features. They are RefresherErrors (one notification path, one redaction path) with codes of
 * their own; ErrorCode in ../errors.ts does not list them yet (that file belongs to the shared core), hence the cast.
 */
import { RefresherError, type ErrorCode } from '../errors';

export type MwaaErrorCode =
  | 'MwaaAccessDenied' // airflow:ListEnvironments / GetEnvironment / UpdateEnvironment denied
  | 'EnvironmentNotFound'
  | 'BucketNotVersioned' // MWAA needs a versioned bucket; a write there would have no version to pin
  | 'NewerObjectVersion' // the object has a version newer than the one the environment pins
  | 'UpdateRejected' // UpdateEnvironment answered ValidationException / ConflictException
  | 'UpdateFailed'; // the environment ended in UPDATE_FAILED (LastUpdate.Error)

export function mwaaError(code: MwaaErrorCode, message: string, fix?: string, cause?: unknown): RefresherError {
  return new RefresherError(code as unknown as ErrorCode, message, fix, cause === undefined ? undefined : { cause });
}
