/**
 * The terminal environment's settings (`codeartifact.terminalEnvironment.*`, `codeartifact.autoRefresh`), read with the
 * folder they are about and each value's type checked. `allowUntrusted` counts only from user settings: a workspace
 * cannot allow itself.
 */
import * as vscode from 'vscode';
import type { ExplicitVariable } from '../../core/environment/variables';
import { isVariableName } from '../../core/environment/names';
import { isRegionName } from '../../core/s3location';
import { SECTION } from '../settings';

export const ENV_SECTION = `${SECTION}.terminalEnvironment`;

export interface EnvironmentSettings {
  enabled: boolean;
  /** User settings only. */
  allowUntrusted: boolean;
  pip: boolean;
  twine: boolean;
  variables: ExplicitVariable[];
  refreshBeforeExpiryMinutes: number;
}

/** `codeartifact.autoRefresh`: S3 objects and files refreshed before expiry without a diff (trusted workspaces only). */
export function autoRefreshOn(): boolean {
  return vscode.workspace.getConfiguration(SECTION).get<unknown>('autoRefresh') === true;
}

export function readEnvironmentSettings(scope?: vscode.ConfigurationScope): EnvironmentSettings {
  const c = vscode.workspace.getConfiguration(ENV_SECTION, scope);
  const margin = c.get<unknown>('refreshBeforeExpiryMinutes');
  return {
    enabled: c.get<unknown>('enabled', true) !== false,
    allowUntrusted: c.inspect<unknown>('allowUntrusted')?.globalValue === true,
    pip: c.get<unknown>('pip') === true,
    twine: c.get<unknown>('twine') === true,
    variables: explicitVariables(c.get<unknown>('variables')),
    refreshBeforeExpiryMinutes: typeof margin === 'number' && Number.isFinite(margin) ? Math.min(720, Math.max(1, margin)) : 10,
  };
}

/** `{ variable, domain, domainOwner, region }` entries; anything malformed is dropped. */
export function explicitVariables(value: unknown): ExplicitVariable[] {
  if (!Array.isArray(value)) return [];
  const out: ExplicitVariable[] = [];
  for (const v of value) {
    if (!v || typeof v !== 'object') continue;
    const e = v as Record<string, unknown>;
    const s = (k: string) => (typeof e[k] === 'string' ? (e[k] as string).trim() : '');
    const variable = s('variable');
    const domain = s('domain').toLowerCase();
    const domainOwner = s('domainOwner');
    const region = s('region').toLowerCase();
    if (isVariableName(variable) && domain && /^\d{12}$/.test(domainOwner) && isRegionName(region)) out.push({ variable, domain, domainOwner, region });
  }
  return out;
}
