/**
 * `url` with a ws: or wss: scheme turned into http: or https:, the form the mock keys on.
 *
 * @example
 * httpForm('wss://anywire.test/stream?lastEventId=3').href; // 'https://anywire.test/stream?lastEventId=3'
 */
export function httpForm(url: string | URL): URL {
  const out = new URL(url);
  if (out.protocol === 'ws:') out.protocol = 'http:';
  else if (out.protocol === 'wss:') out.protocol = 'https:';
  return out;
}

/**
 * The WebSocket twin of an http(s) URL.
 *
 * @example
 * socketForm(new URL('https://anywire.test/stream')).href; // 'wss://anywire.test/stream'
 */
export function socketForm(url: URL): URL {
  const out = new URL(url);
  out.protocol = url.protocol === 'http:' ? 'ws:' : 'wss:';
  return out;
}

/**
 * True when `target` is the endpoint at `base`: same origin and path, in either scheme family.
 * The query is ignored: the WebSocket carries its resume position there.
 *
 * @example
 * serves(new URL('https://anywire.test/s'), 'wss://anywire.test/s?lastEventId=3'); // true
 */
export function serves(base: URL, target: string | URL): boolean {
  const t = httpForm(target);
  return t.origin === base.origin && t.pathname === base.pathname;
}
