/** What the commands need, built once in activate() and passed down (nothing is imported back from extension.ts). */
import type { ExpiryTracker } from '../core/tracker';
import type { LazyAws } from './awsLoader';
import type { Clock } from './clock';
import type { Log } from './log';
import type { PreviewProvider } from './preview';
import type { ProfileStore } from './profiles';
import type { Prompts } from './prompts';
import type { WorkspaceEntriesConsent } from './remoteFiles';
import type { Reviewer } from './review';
import type { Settings } from './settings';

export interface Deps {
  aws: LazyAws;
  log: Log;
  prompts: Prompts;
  profiles: ProfileStore;
  tracker: ExpiryTracker;
  preview: PreviewProvider;
  review: Reviewer;
  consent: WorkspaceEntriesConsent;
  clock: Clock;
  /** Window-level settings (resource-scoped ones: readSettings(scope) where the scope is known). */
  settings: () => Settings;
}
