/**
 * `codeartifact.mwaa.regions`: regions searched for MWAA environments besides each profile's own;
 * `codeartifact.mwaa.profiles`: the profiles whose environments the view lists (empty: the workspace's profile).
 */
import * as vscode from 'vscode';
import { SECTION } from '../settings';

const REGION = /^[a-z]{2}(?:-[a-z]+){1,3}-\d{1,2}$/;

export function mwaaRegions(): string[] {
  const v = vscode.workspace.getConfiguration(SECTION).get<unknown>('mwaa.regions');
  return Array.isArray(v) ? [...new Set(v.filter((r): r is string => typeof r === 'string' && REGION.test(r.trim())).map((r) => r.trim()))] : [];
}

/** The profile's region from the config file (no SDK call beyond reading the files), else us-east-1. */
export async function profileRegion(aws: { listProfiles(): Promise<{ name: string; region?: string }[]> }, profile: string): Promise<string> {
  const info = (await aws.listProfiles()).find((p) => p.name === profile);
  return info?.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
}

export function mwaaProfiles(): string[] {
  const v = vscode.workspace.getConfiguration(SECTION).get<unknown>('mwaa.profiles');
  return Array.isArray(v) ? [...new Set(v.filter((p): p is string => typeof p === 'string' && p.trim() !== '').map((p) => p.trim()))] : [];
}
