/**
 * Secrets this layer has seen (issued tokens, secret keys, session tokens) are removed from every line it logs and
 * every message it builds. Generic patterns catch the rest (`:TOKEN@` in URLs, AWS secret-looking keys).
 */
export class SecretSet {
  private readonly secrets = new Set<string>();

  add(secret: string | undefined): void {
    if (secret && secret.length >= 8) this.secrets.add(secret);
  }

  redact(text: string): string {
    let out = text;
    for (const s of this.secrets) out = out.split(s).join('***');
    return redactPatterns(out);
  }
}

/** URL userinfo passwords (`aws:TOKEN@host`), `authorizationToken` JSON values, long opaque base64/JWT-like runs. */
export function redactPatterns(text: string): string {
  return text
    .replace(/(\/\/[^\s/:@]*:)[^\s/@]+@/g, '$1***@')
    .replace(/("?(?:authorizationToken|SecretAccessKey|SessionToken|aws_secret_access_key|aws_session_token)"?\s*[:=]\s*"?)[^\s",]+/gi, '$1***')
    .replace(/\beyJ[A-Za-z0-9_\-.]{20,}/g, '***')
    .replace(/(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g, '***');
}
