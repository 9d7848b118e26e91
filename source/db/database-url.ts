/**
 * Database URLs as `pg` reads them (`pg-connection-string`, the parser `pg`
 * itself uses), and how they appear in messages: a URL that parses is shown
 * without its password; one that does not is shown as its scheme only, since
 * a password with unencoded `@ / # ?` can sit anywhere in it.
 */
import { parse } from 'pg-connection-string';
import { UserError } from '../errors.js';

const SCHEMES = new Set(['postgres:', 'postgresql:', 'socket:']);

/** `postgres:` from `postgres://…`, or null when the text has no scheme. */
function schemeOf(url: string): string | null {
  const m = /^([a-z][a-z0-9+.-]*:)/i.exec(url);
  return m ? m[1].toLowerCase() : null;
}

/** What a message may show of a URL that did not parse: its scheme. */
function schemeOnly(url: string): string {
  const scheme = schemeOf(url);
  return scheme ? `${scheme}//…` : '(not a URL)';
}

/** The WHATWG parse `pg-connection-string` does, or null. */
function whatwg(url: string): URL | null {
  // pg-connection-string encodes spaces and stray `%` first; so do we, so that both agree on what parses.
  const text = / |%[^a-f0-9]|%[a-f0-9][^a-f0-9]/i.test(url) ? encodeURI(url).replace(/%25(\d\d)/g, '%$1') : url;
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

/**
 * Checks that `url` is a PostgreSQL URL `pg` can use; a `UserError` that
 * shows nothing past the scheme otherwise.
 */
export function checkDatabaseUrl(url: string): void {
  const scheme = schemeOf(url);
  const hint = 'expected postgresql://USER:PASSWORD@HOST:PORT/DATABASE (URL-encode special characters in the user and password)';
  if (!scheme || !SCHEMES.has(scheme)) {
    throw new UserError(`invalid database URL ${schemeOnly(url)}: not a postgres:// or postgresql:// URL`, { hint });
  }
  try {
    parse(url);
  } catch (e) {
    // The parser's own message may quote the input: only its first words are kept.
    const reason = String((e as Error).message ?? e).split(/[:\n]/)[0];
    throw new UserError(`invalid database URL ${schemeOnly(url)}: ${reason}`, { hint });
  }
  if (!whatwg(url)) throw new UserError(`invalid database URL ${schemeOnly(url)}: Invalid URL`, { hint });
  // `postgres://u:p@ss/w0rd@host/db` parses, with host `ss`: an `@` after the
  // host is a password's unencoded `@` or `/`, and connecting would show a
  // piece of it as the host or the database name.
  const rest = url.slice(url.indexOf('//') + 2).replace(/^[^/?#]*/, '');
  if (url.includes('//') && rest.includes('@')) {
    throw new UserError(`invalid database URL ${schemeOnly(url)}: an "@" after the host (a password's "@", "/", "?" or "#" must be URL-encoded)`, { hint });
  }
}

/** The URL without its password (nor a `password=` query parameter), for messages and labels. */
export function redactUrl(url: string): string {
  const u = whatwg(url);
  if (!u) return schemeOnly(url);
  if (u.password) u.password = '';
  if (u.searchParams.has('password')) u.searchParams.set('password', '***');
  return u.toString();
}

// A postgres URL with a user and password: the password runs to the last `@`
// of the URL (an unencoded `@` in it is common), so greedily up to the last one
// before whitespace or a quote.
const URL_WITH_PASSWORD = /\b(postgres(?:ql)?:\/\/)([^\s:@/'"<>]*):([^\s'"<>]*)@/gi;
// The placeholder of our own hints (`postgresql://USER:PASSWORD@HOST…`) is no secret.
const PLACEHOLDER = 'PASSWORD';
const URL_PASSWORD_PARAM = /\b(postgres(?:ql)?:\/\/[^\s'"<>]*?[?&]password=)[^&\s#'"<>]*/gi;

/**
 * `text` with every database URL in it shown without its password: first the
 * `known` URLs wherever they appear whole, then anything else shaped like a
 * postgres URL with credentials. Only URLs are touched: a password that
 * happens to be a word (`id`, `varying`) stays in the SQL that uses that word.
 */
export function redactUrlsIn(text: string, known: Iterable<string>): string {
  let t = text;
  for (const url of [...known].sort((a, b) => b.length - a.length)) {
    if (url && t.includes(url)) t = t.split(url).join(redactUrl(url));
  }
  return t
    .replace(URL_WITH_PASSWORD, (whole, scheme: string, user: string, password: string) => (password === PLACEHOLDER ? whole : `${scheme}${user}@`))
    .replace(URL_PASSWORD_PARAM, '$1***');
}
