/**
 * Entry of dist/aws.js (bundled separately so activation never loads the SDK). The UI `require`s this lazily and
 * imports only types from './api' otherwise; everything it needs at run time is exported here.
 */
export { createAwsServices } from './services';
export { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS, DEFAULT_MAX_ATTEMPTS } from './clients';
export { defaultProfileFrom } from './profiles';
export { toRefresherError } from './errors';
export type * from './api';
