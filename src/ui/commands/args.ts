/** Typed arguments of the commands that take them (keybindings, links and automation pass plain JSON). */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** `{ "confirm": false }` turns the diff and question off; anything else keeps them. */
export function confirmArg(v: unknown): boolean {
  return !(isObject(v) && v.confirm === false);
}

export interface S3Args {
  uri?: string;
  profile?: string;
  /** false skips the diff and question (automation); a concurrent change is still never overwritten. */
  confirm?: boolean;
}

export function s3Args(v: unknown): S3Args {
  if (!isObject(v)) return {};
  return {
    ...(typeof v.uri === 'string' ? { uri: v.uri } : {}),
    ...(typeof v.profile === 'string' && v.profile ? { profile: v.profile } : {}),
    ...(v.confirm === false ? { confirm: false } : {}),
  };
}

/** `{ id }` or `{ ids: [...] }` of tracked tokens (status bar links, the expiry warning). */
export function trackedIdsArg(v: unknown): string[] {
  if (!isObject(v)) return [];
  if (typeof v.id === 'string') return [v.id];
  return Array.isArray(v.ids) ? v.ids.filter((x): x is string => typeof x === 'string') : [];
}
