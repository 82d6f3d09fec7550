/**
 * Endpoint overrides, read the way the SDK reads them (service-specific endpoints), but from the environment the
 * caller gave instead of process.env, and from the profile in use. The result is passed to the client as `endpoint`.
 * Precedence: AWS_IGNORE_CONFIGURED_ENDPOINT_URLS / ignore_configured_endpoint_urls turn overrides off; then
 * AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, the profile's `services` section (`<service> = endpoint_url = ...`),
 * the profile's `endpoint_url`.
 */
import type { Env, SharedFiles } from './files';

/** `sso` is the IAM Identity Center portal (GetRoleCredentials), AWS_ENDPOINT_URL_SSO like the SDK's own service id. */
export type ServiceId = 's3' | 'codeartifact' | 'sts' | 'sso' | 'mwaa';

export function endpointOverride(service: ServiceId, env: Env, files: SharedFiles, profile: string): string | undefined {
  const section = files.config[profile] ?? {};
  if (isTrue(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS) || isTrue(section.ignore_configured_endpoint_urls)) return undefined;
  const fromEnv = env[`AWS_ENDPOINT_URL_${service.toUpperCase()}`] || env.AWS_ENDPOINT_URL;
  if (fromEnv) return fromEnv;
  const services = section.services ? files.config[`services.${section.services}`] : undefined;
  return services?.[`${service}.endpoint_url`] || section.endpoint_url || undefined;
}

function isTrue(v: string | undefined): boolean {
  return v?.trim().toLowerCase() === 'true';
}
