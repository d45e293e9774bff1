/**
 * The one redaction filter every log line passes through (our own lines, the chat SDKs' loggers
 * bridged into ours, and console output from libraries that print on their own). It removes what
 * would let a log reader act as someone or undo a secret ballot or an anonymous notice:
 *
 * - receipt codes (ballots and breach notices): four groups of five letters/digits, with dashes,
 *   spaces or none, in any case
 * - chat platform tokens (Slack `xox?-…`, `xapp-…`), three-part tokens (Discord bot tokens, JWTs)
 * - `Bearer …`/`Basic …` credentials
 * - any value named like a secret: `token`, `secret`, `password`, `authorization`, `cookie`,
 *   `signin` (the sign-in link's fragment), `receipt`, a numeric `code` (the mailed sign-in code),
 *   whether written as JSON (`"x-forumbot-secret":"…"`, escaped or not), a header (`X-Forumbot-Secret: …`)
 *   or a URL parameter (`#signin=…`, `?code=…`)
 *
 * It errs on the side of removing too much: a log line is for finding faults, not for reading data.
 */
export const REDACTED = '[redacted]';

const SECRET_NAMES = String.raw`[\w-]*(?:token|secret|password|passwd|authorization|cookie|signin|receipt|api[_-]?key)`;
const Q = String.raw`(?:\\*["'])?`; // an optional quote, possibly escaped once or more inside a JSON string

const RULES: [RegExp, string][] = [
  // a named secret: name, separator, value (up to a quote, comma, ampersand, brace or space)
  [new RegExp(String.raw`(${Q}${SECRET_NAMES}${Q}\s*[:=]\s*${Q})(?:(?:Bearer|Basic|Bot)\s+)?[^\s"'\\&,;}\]]+`, 'gi'), `$1${REDACTED}`],
  // a numeric code by name (the mailed sign-in code); other `code`s (error codes) are kept
  [new RegExp(String.raw`(${Q}[\w-]*code${Q}\s*[:=]\s*${Q})\d{4,10}\b`, 'gi'), `$1${REDACTED}`],
  // credentials in an Authorization value wherever it appears
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g, `$1 ${REDACTED}`],
  // Slack tokens
  [/\bx(?:ox[a-z]|app)-[A-Za-z0-9-]+/g, REDACTED],
  // three-part tokens: JWTs, Discord bot tokens
  [/\b[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{10,}/g, REDACTED],
  // receipt codes, grouped (XXXXX-XXXXX-XXXXX-XXXXX, or with spaces) ...
  [/\b[0-9A-Za-z]{5}[-\s][0-9A-Za-z]{5}[-\s][0-9A-Za-z]{5}[-\s][0-9A-Za-z]{5}\b/g, REDACTED],
  // ... or typed as one run of 20 with letters and digits
  [/\b(?=[0-9A-Za-z]{0,19}[0-9])(?=[0-9A-Za-z]{0,19}[A-Za-z])[0-9A-Za-z]{20}\b/g, REDACTED],
];

/** The text with every secret it holds replaced by `[redacted]`. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of RULES) out = out.replace(pattern, replacement);
  return out;
}
