/**
 * Secrets this layer has seen (issued tokens, secret keys, session tokens) are removed from every line it logs and
 * every message it builds, with core's `redact` (URL passwords, JWE-shaped tokens, npmrc values, the given secrets)
 * plus AWS credential shapes (secret-key-looking runs, credential field values).
 */
import { redact } from '../core/redact';

export class SecretSet {
  private readonly secrets = new Set<string>();

  add(secret: string | undefined): void {
    if (secret && secret.length >= 8) this.secrets.add(secret);
  }

  redact(text: string): string {
    return redactPatterns(redact(text, this.secrets));
  }
}

/** core's redact plus AWS credential shapes: `SecretAccessKey`/`SessionToken` field values and 40-char secret keys. */
export function redactPatterns(text: string): string {
  return redact(text)
    .replace(/("?(?:authorizationToken|SecretAccessKey|SessionToken|aws_secret_access_key|aws_session_token)"?\s*[:=]\s*"?)[^\s",]+/gi, '$1****')
    .replace(/(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g, '****');
}
