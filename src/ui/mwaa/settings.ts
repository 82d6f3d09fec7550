/**
 * `codeartifact.mwaa.regions`: regions searched for MWAA environments besides each profile's own;
 * `codeartifact.mwaa.profiles`: the profiles whose environments the view lists (empty: the workspace's profile).
 */
import * as vscode from 'vscode';
import { isRegionName } from '../../core/s3location';
import { SECTION } from '../settings';

export function mwaaRegions(): string[] {
  const v = vscode.workspace.getConfiguration(SECTION).get<unknown>('mwaa.regions');
  return Array.isArray(v) ? [...new Set(v.filter((r): r is string => typeof r === 'string' && isRegionName(r.trim())).map((r) => r.trim()))] : [];
}

/** The profile's region in `known` (the profiles of the config files), else AWS_REGION, else us-east-1. */
export function profileRegion(known: readonly { name: string; region?: string }[], profile: string): string {
  const info = known.find((p) => p.name === profile);
  return info?.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
}

export function mwaaProfiles(): string[] {
  const v = vscode.workspace.getConfiguration(SECTION).get<unknown>('mwaa.profiles');
  return Array.isArray(v) ? [...new Set(v.filter((p): p is string => typeof p === 'string' && p.trim() !== '').map((p) => p.trim()))] : [];
}
