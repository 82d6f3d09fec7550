/**
 * S3 object locations as people paste them: `s3://bucket/key`, virtual-hosted and path-style https URLs, and S3
 * console URLs. Parsing errors are RefresherError('InvalidInput') with a message that says what is wrong.
 */
import { isRefresherError, RefresherError } from './errors';
import { redact } from './redact';

export interface S3Location {
  bucket: string;
  key: string;
  /** Region when the input named one (virtual-hosted URL or console URL). */
  region?: string;
}

const FIX = 'Enter the object as s3://bucket/path/to/codeartifact.txt (an S3 console or https object URL also works).';
const REGION = /^[a-z]{2}(?:-[a-z]+){1,3}-\d{1,2}$/;

/** An AWS region name such as us-east-1, eu-central-2 or us-gov-west-1. */
export function isRegionName(value: string): boolean {
  return REGION.test(value);
}
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/** Messages quote parts of what was typed (a bucket name, a host) but never the whole input, and never a secret. */
function invalid(message: string): never {
  throw new RefresherError('InvalidInput', redact(message), FIX);
}

/** Why `bucket` is not a valid S3 (general purpose) bucket name, or undefined when it is. */
export function bucketNameProblem(bucket: string): string | undefined {
  // Quote the name only when it is made of bucket-name characters: a pasted pip line must not echo its token.
  const name = /^[a-z0-9.-]{1,63}$/.test(bucket) ? `Bucket name "${bucket}"` : 'The bucket name';
  if (bucket.length < 3 || bucket.length > 63) return `${name} must be 3 to 63 characters long.`;
  if (!/^[a-z0-9.-]+$/.test(bucket)) return `${name} may only hold lowercase letters, digits, dots and hyphens.`;
  if (!/^[a-z0-9]/.test(bucket) || !/[a-z0-9]$/.test(bucket)) return `${name} must start and end with a letter or digit.`;
  if (bucket.includes('..')) return `${name} must not contain two dots in a row.`;
  if (IPV4.test(bucket)) return `${name} must not look like an IP address.`;
  return undefined;
}

function decode(part: string, what: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return invalid(`The ${what} in the URL has a broken %-escape.`);
  }
}

function checked(bucket: string, key: string, region: string | undefined): S3Location {
  if (!bucket) invalid('The S3 location names no bucket.');
  const problem = bucketNameProblem(bucket);
  if (problem) invalid(problem);
  if (!key) invalid(`The S3 location names bucket "${bucket}" but no object key.`);
  if (key.endsWith('/')) invalid(`"${key}" is a folder, not an object: add the file name (for example ${key}codeartifact.txt).`);
  if (region !== undefined && !isRegionName(region)) invalid(`"${region}" is not an AWS region name.`);
  return region === undefined ? { bucket, key } : { bucket, key, region };
}

function parseS3Uri(rest: string): S3Location {
  const slash = rest.indexOf('/');
  const bucket = slash === -1 ? rest : rest.slice(0, slash);
  const key = slash === -1 ? '' : rest.slice(slash + 1);
  return checked(bucket, key, undefined);
}

function parseConsole(url: URL): S3Location {
  const host = url.hostname.toLowerCase();
  const hostRegion = host === 's3.console.aws.amazon.com' ? undefined : host.slice(0, host.indexOf('.'));
  const m = /^\/s3\/(object|buckets)\/([^/]+)\/?$/.exec(url.pathname);
  if (!m) invalid('This S3 console URL does not point at an object: open the object in the console and copy its URL.');
  const bucket = decode(m[2], 'bucket');
  const key = url.searchParams.get('prefix') ?? '';
  if (m[1] === 'buckets' && (key === '' || key.endsWith('/'))) {
    invalid(`This S3 console URL shows a folder of bucket "${bucket}", not an object: open the object and copy its URL.`);
  }
  const region = url.searchParams.get('region') || hostRegion || undefined;
  return checked(bucket, key, region);
}

function parseHttps(input: string): S3Location {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return invalid('The text entered is not a valid URL.');
  }
  const host = url.hostname.toLowerCase();
  if (host === 's3.console.aws.amazon.com' || /^[a-z0-9-]+\.console\.aws\.amazon\.com$/.test(host)) return parseConsole(url);
  if (url.search && url.search !== '?') invalid('The S3 URL has a query string (a presigned or console link?): use the plain object URL or s3://bucket/key.');
  const path = url.pathname.replace(/^\//, '');
  let m: RegExpExecArray | null;
  // path-style: s3.amazonaws.com, s3.REGION.amazonaws.com, s3-REGION.amazonaws.com
  if ((m = /^s3(?:[.-]([a-z0-9-]+))?\.amazonaws\.com(?:\.cn)?$/.exec(host))) {
    const region = m[1] && m[1] !== 'dualstack' ? m[1] : undefined;
    const slash = path.indexOf('/');
    const bucket = decode(slash === -1 ? path : path.slice(0, slash), 'bucket');
    const key = slash === -1 ? '' : decode(path.slice(slash + 1), 'key');
    return checked(bucket, key, region);
  }
  // virtual-hosted: BUCKET.s3.amazonaws.com, BUCKET.s3.REGION.amazonaws.com, BUCKET.s3-REGION.amazonaws.com
  if ((m = /^(.+)\.s3(?:[.-]([a-z0-9-]+))?\.amazonaws\.com(?:\.cn)?$/.exec(host))) {
    let region: string | undefined = m[2];
    if (region === 'dualstack') region = undefined;
    return checked(m[1], decode(path, 'key'), region);
  }
  return invalid(`"${url.hostname}" is not an S3 host: expected s3://bucket/key or an https://BUCKET.s3.REGION.amazonaws.com/KEY URL.`);
}

/** Parses an S3 object location (whitespace trimmed). Throws RefresherError('InvalidInput', message, fix). */
export function parseS3Location(input: string): S3Location {
  if (typeof input !== 'string') invalid('The S3 location must be text.');
  const s = input.trim();
  if (!s) invalid('The S3 location is empty.');
  const lower = s.slice(0, 8).toLowerCase();
  if (lower.startsWith('s3://')) return parseS3Uri(s.slice(5));
  if (lower.startsWith('https://') || lower.startsWith('http://')) return parseHttps(s);
  if (lower.startsWith('arn:')) invalid('An ARN is not accepted here: use s3://bucket/key.');
  return invalid('The text entered is not an S3 location: expected s3://bucket/key.');
}

/** `s3://bucket/key` (the key as is, not escaped). */
export function formatS3Uri(loc: S3Location): string {
  return `s3://${loc.bucket}/${loc.key}`;
}

/** For an input box: undefined when `input` parses, else the message that says why not. */
export function validateS3Uri(input: string): string | undefined {
  try {
    parseS3Location(input);
    return undefined;
  } catch (e) {
    if (isRefresherError(e)) return e.message;
    return String(e);
  }
}
