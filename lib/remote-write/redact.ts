// Keeping credentials out of log lines and out of the deployed template. An endpoint URL may carry
// a secret in its user-info (`user:pass@`) or its query (`?api_key=...`); error texts (fetch's own
// messages among them) may quote such a URL. Every URL that is logged goes through redactUrl, and
// every error text through redactUrlsIn.

/** Replaces what was removed, so a reader sees that something was there. */
export const REDACTED = 'REDACTED';

/**
 * Header and query-parameter names that carry credentials by convention (Authorization, X-API-Key,
 * X-Auth-Token, api_key, access_token, Cookie, ...). X-Scope-OrgID and the like do not match.
 */
const CREDENTIAL_NAME = /auth|token|secret|passw|api[-_]?key|apikey|cookie|credential|private[-_]?key|^sig$|^key$/i;

export function isCredentialName(name: string): boolean {
  return CREDENTIAL_NAME.test(name.trim());
}

/** The URL without user-info and with every query value replaced; unparsable text is scrubbed. */
export function redactUrl(url: string | URL): string {
  let copy: URL;
  try {
    copy = new URL(url);
  } catch {
    return scrub(String(url));
  }
  copy.username = '';
  copy.password = '';
  if (copy.search !== '') {
    const names = [...new URLSearchParams(copy.search).keys()];
    copy.search = names.map((n) => `${encodeURIComponent(n)}=${REDACTED}`).join('&');
  }
  return copy.toString();
}

// scheme://... up to whitespace or a quote. The lookbehind starts a match only where a scheme can
// begin, so a long run of letters is scanned once, not once per letter (linear time).
const URL_IN_TEXT = /(?<![a-z0-9+.-])[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi;

/** `text` with every URL in it redacted (for error messages that quote a URL). */
export function redactUrlsIn(text: string): string {
  return text.replace(URL_IN_TEXT, (u) => redactUrl(u));
}

/** Text that is not a parsable URL: drop anything up to an `@` after `//`, blank query values. */
function scrub(text: string): string {
  return text.replace(/\/\/[^/?#@\s]*@/g, '//').replace(/([?&][^=&#?\s]*)=[^&#?\s]*/g, `$1=${REDACTED}`);
}
