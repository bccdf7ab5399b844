/**
 * Redaction for log lines and anything echoed to operators: credentials removed outright, emails
 * partially masked (enough to recognise a colleague, not to harvest addresses).
 */
const SECRET_PATTERNS: readonly RegExp[] = [
  /\bBearer\s+[A-Za-z0-9\-._~+/]+=*/gi,
  /\bSSWS\s+[A-Za-z0-9\-._~+/]+=*/gi,
  /\bsk-[A-Za-z0-9_-]{16,}\b/g,
  /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g,
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b/g,
  /\bgh[pousr]_[A-Za-z0-9]{20,}\b/g,
  /\bAKIA[0-9A-Z]{16}\b/g,
  /\b(?:access_token|refresh_token|id_token|client_secret|api_key|apikey|password|secret|token)\b(\s*["']?\s*[:=]\s*["']?)[^\s"'&,}]+/gi,
];

const EMAIL = /\b([A-Za-z0-9._%+-])([A-Za-z0-9._%+-]*)@([A-Za-z0-9-])[A-Za-z0-9-]*((?:\.[A-Za-z0-9-]+)+)\b/g;

export const REDACTED = '[redacted]';

export function maskEmail(email: string): string {
  return email.replace(EMAIL, (_m, first: string, _rest: string, domainFirst: string, tld: string) => `${first}***@${domainFirst}***${tld}`);
}

export function redactText(text: string): string {
  let out = text;
  for (const pattern of SECRET_PATTERNS) {
    out = out.replace(pattern, (match: string, sep?: string) => {
      if (typeof sep === 'string') {
        const name = match.slice(0, match.indexOf(sep));
        return `${name}${sep}${REDACTED}`;
      }
      return REDACTED;
    });
  }
  return maskEmail(out);
}

const SECRET_KEYS = /^(access_?token|refresh_?token|id_?token|token|password|secret|client_?secret|api_?key|authorization|cookie|code_?verifier)$/i;

/** Deep copy of a value with secret-named fields dropped and every string redacted. */
export function redactValue(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[…]';
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, SECRET_KEYS.test(k) ? REDACTED : redactValue(v, depth + 1)]),
    );
  }
  return value;
}
