/**
 * Hostile HTTP requests, as fast-check arbitraries, and a raw TCP exchange to send them: request
 * targets built from the pieces that break URL parsers (`//`, `@`, `\`, `:port`, percent signs,
 * dots, absolute forms, huge lengths), any method, and headers that steer a request into each
 * handler (Host, Origin, Authorization, WebSocket upgrades, bodies with wrong lengths). Sent over
 * a plain socket (`net.connect`) because an HTTP client would normalise or refuse most of them.
 * Shared by `tests/fuzz` (bounded, in npm test) and `npm run fuzz` (the campaign).
 */
import net from 'node:net';
import fc from 'fast-check';

/** The request targets that once ended the process, and their relatives. */
export const KNOWN_BAD_TARGETS = [
  '//',
  '//@',
  '/\\',
  '//:99999',
  'http://',
  'http://:0',
  'http://[::1',
  '//[',
  '///',
  '/\\\\evil.example',
  '/%',
  '/%zz',
  '/%00',
  '/%c0%af',
  '*',
  '@',
  ':',
  '?',
  '#',
  '/api/ws/..',
  '/assets/..%2f..%2fpackage.json',
  `/assets/${'a'.repeat(5000)}.js`,
];

const SEGMENTS = [
  '',
  '.',
  '..',
  '@',
  ':',
  ':99999',
  '\\',
  '%',
  '%zz',
  '%2e%2e',
  '%2f',
  '%00',
  '%ff',
  'health',
  'api',
  'ws',
  'log.adi',
  'assets',
  'admin',
  'status',
  'index.html',
  '?token=x',
  '?a=%zz',
  '#frag',
  '[::1]',
  'localhost:8000',
];

const segment = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...SEGMENTS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 9000 }).map((length) => 'x'.repeat(length)) },
);

/** Our own paths, so that generated requests reach every handler, not only the 404. */
const OUR_PATHS = ['/health', '/api/ws', '/api/log.adi', '/', '/admin', '/admin/', '/status', '/assets/index.js', '/assets/'];

export const requestTarget: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...KNOWN_BAD_TARGETS) },
  {
    weight: 10,
    arbitrary: fc
      .tuple(fc.constantFrom(...OUR_PATHS), fc.constantFrom('', '', '?', '?x=1', '?token=abc', '?%zz', '#x', '/', '//', '%00', '.', '..'))
      .map(([path, suffix]) => path + suffix),
  },
  {
    weight: 8,
    arbitrary: fc
      .tuple(
        fc.constantFrom('/', '//', '/\\', '', 'http://', 'http://localhost', 'https://127.0.0.1:1', 'ws://', '*'),
        fc.array(segment, { maxLength: 6 }),
        fc.constantFrom('/', '//', '\\', '/./'),
      )
      .map(([prefix, parts, separator]) => prefix + parts.join(separator)),
  },
);

export const method: fc.Arbitrary<string> = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom('GET', 'GET', 'GET', 'POST', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE') },
  { weight: 1, arbitrary: fc.constantFrom('CONNECT', 'get', 'BREW', 'M-SEARCH', 'PROPFIND') },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z!#$%&'*+.^_`|~-]{1,12}$/) },
);

/** Header values as a hostile client would send them: printable, empty, long, or Latin-1 garbage. */
const headerValue = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '\t', 'x'.repeat(4000)) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 20 }).map((value) => value.replace(/[\r\n]/g, '')) },
);

export type Header = [name: string, value: string];

export interface HostileRequest {
  method: string;
  target: string;
  headers: Header[];
  body: string;
}

/** `token`: a valid session token some requests carry, so the authenticated handlers are reached too. */
export function hostileRequest(token: string): fc.Arbitrary<HostileRequest> {
  // Node answers 400 to an HTTP/1.1 request without Host: most requests carry one, mostly ours.
  const host = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom('127.0.0.1', 'localhost:8000', '[::1]:8000') },
    { weight: 1, arbitrary: fc.constantFrom('evil.example', '', '[', ':::', 'a'.repeat(300)) },
    { weight: 1, arbitrary: headerValue },
  );
  const one = (name: string) => (value: string): Header[] => [[name, value]];
  const header: fc.Arbitrary<Header[]> = fc.oneof(
    fc.constantFrom('http://127.0.0.1', 'null', 'http://evil.example', '://', 'http://[').map(one('Origin')),
    fc.constantFrom(`Bearer ${token}`, 'Bearer', 'Bearer x y', 'Basic YTpi', `bearer   ${token}  `).map(one('Authorization')),
    fc.constantFrom('13', 'abc', '-1', '0', '99999999999', '1, 2').map(one('Content-Length')),
    fc.constant<Header[]>([['Transfer-Encoding', 'chunked']]),
    fc.constant<Header[]>([['Expect', '100-continue']]),
    fc.constant<Header[]>([
      ['Connection', 'Upgrade'],
      ['Upgrade', 'websocket'],
      ['Sec-WebSocket-Version', '13'],
      ['Sec-WebSocket-Key', 'dGhlIHNhbXBsZSBub25jZQ=='],
    ]),
    fc.constantFrom('websocket', 'h2c', '', 'WebSocket, foo').map((value): Header[] => [
      ['Connection', 'upgrade'],
      ['Upgrade', value],
    ]),
    fc.tuple(fc.stringMatching(/^[A-Za-z0-9-]{1,20}$/), headerValue).map(([name, value]) => one(name)(value)),
  );
  return fc.record({
    method,
    target: requestTarget,
    headers: fc
      .tuple(fc.option(host, { freq: 10 }), fc.array(header, { maxLength: 4 }))
      .map(([hostValue, groups]) => [...(hostValue === null ? [] : one('Host')(hostValue)), ...groups.flat()]),
    body: fc.oneof(fc.constant(''), fc.string({ maxLength: 200 }), fc.constant('<call:6>EA1ABC<eor>')),
  });
}

/**
 * The request as bytes. A body is framed as its headers say: chunked under `Transfer-Encoding`,
 * else with its true length unless a (possibly false) `Content-Length` was generated, so that
 * it is not read as a second, garbage request.
 */
export function encodeRequest({ method: verb, target, headers, body }: HostileRequest): Buffer {
  const has = (name: string) => headers.some(([header]) => header.toLowerCase() === name);
  const bytes = Buffer.from(body, 'utf8');
  const chunked = has('transfer-encoding');
  const framing = body === '' || chunked || has('content-length') ? [] : [`Content-Length: ${bytes.length}`];
  const lines = [`${verb} ${target} HTTP/1.1`, ...headers.map(([name, value]) => `${name}: ${value}`), ...framing, 'Connection: close'];
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  if (!chunked) return Buffer.concat([head, bytes]);
  const chunk = bytes.length === 0 ? [] : [Buffer.from(`${bytes.length.toString(16)}\r\n`), bytes, Buffer.from('\r\n')];
  return Buffer.concat([head, ...chunk, Buffer.from('0\r\n\r\n')]);
}

/** Whether the request announces a longer body than it carries: the server would wait for the rest. */
function announcesMore({ headers, body }: HostileRequest): boolean {
  const length = Buffer.byteLength(body, 'utf8');
  return headers.some(([name, value]) => name.toLowerCase() === 'content-length' && /^\s*\d+\s*$/.test(value) && Number(value) > length);
}

/**
 * Sends the request over a fresh socket and resolves with the status of the first final response
 * line, or null when the server closed without answering. A request that announces more body
 * than it carries is half-closed at once (the end of its body never comes); any other waits for
 * its answer, however slow: `timeoutMs` is only a safety net.
 */
export function rawExchange(port: number, request: HostileRequest, timeoutMs = 60_000): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let received = '';
    let settled = false;
    const finish = (status: number | null, error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(status);
    };
    const timer = setTimeout(() => finish(null, new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (received.length > 12 && !received.startsWith('HTTP/')) finish(null, new Error(`not an HTTP answer: ${received.slice(0, 40)}`));
      // `100 Continue` (after Expect) is not the answer; the status after it is.
      for (const [, code] of received.matchAll(/HTTP\/1\.[01] (\d{3})[^\r\n]*\r\n/g)) {
        if (code !== '100') finish(Number(code));
      }
    });
    // A reset after the server answered (or refused to) is the end of the exchange, not a failure.
    socket.on('error', () => finish(null));
    socket.on('close', () => finish(null));
    const bytes = encodeRequest(request);
    if (announcesMore(request)) socket.end(bytes);
    else socket.write(bytes);
  });
}

/** `GET /health` over a raw socket; the status it answered. */
export function healthStatus(port: number): Promise<number | null> {
  return rawExchange(port, { method: 'GET', target: '/health', headers: [['Host', '127.0.0.1']], body: '' });
}
