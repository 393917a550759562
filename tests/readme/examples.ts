/**
 * The README's API examples as data: every ```json request block followed by its ```json reply
 * block, in document order. They form one story run against a live server, so the README cannot
 * drift from the code.
 */
export interface Example {
  request: Record<string, unknown>;
  reply: unknown;
  /** Character range of the reply block's JSON text in the README. */
  replyStart: number;
  replyEnd: number;
}

const BLOCK = /```json (request|reply)\n([\s\S]*?)```/g;

export function parseExamples(markdown: string): Example[] {
  const examples: Example[] = [];
  let pending: Record<string, unknown> | undefined;
  for (const match of markdown.matchAll(BLOCK)) {
    const [, kind, body = ''] = match;
    const bodyStart = (match.index ?? 0) + match[0].indexOf('\n') + 1;
    if (kind === 'request') {
      if (pending) throw new Error(`request without reply before offset ${match.index}`);
      pending = JSON.parse(body) as Record<string, unknown>;
    } else {
      if (!pending) throw new Error(`reply without request at offset ${match.index}`);
      examples.push({ request: pending, reply: JSON.parse(body), replyStart: bodyStart, replyEnd: bodyStart + body.length });
      pending = undefined;
    }
  }
  if (pending) throw new Error('the last request has no reply');
  return examples;
}

/** Values that differ on every run; compared by kind, not by value. */
// active_port: the test server listens on a free port. The waits are counted from a clock that
// steps on every reading, so they shift whenever the server reads the clock once more or less.
const VOLATILE_KEYS = new Set(['session_token', 'qso_id', 'connection_id', 'uptime_s', 'active_port', 'estimated_wait_s', 'retry_after_s']);
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

/** Times written into an ADIF export and its file name (the export's own creation time). */
const EXPORT_TIMES = [/exported \d{4}-\d\d-\d\dT[\d:.]+Z/g, /<CREATED_TIMESTAMP:15>\d{8} \d{6}/g, /pileup-log-\d{8}-\d{6}\.adi/g];

export function mask(value: unknown, key?: string): unknown {
  if (key !== undefined && VOLATILE_KEYS.has(key)) return `<${key}>`;
  if (typeof value === 'string' && ISO.test(value)) return '<timestamp>';
  if (typeof value === 'string' && (key === 'adif' || key === 'file_name')) {
    return EXPORT_TIMES.reduce((text, pattern) => text.replace(pattern, '<export time>'), value);
  }
  if (Array.isArray(value)) return value.map((item) => mask(item));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mask(v, k)]));
  }
  return value;
}

/** The README's placeholder for the token obtained by the first example. */
export const TOKEN_PLACEHOLDER = 'your_token';

/** Writes each example's reply (pretty-printed) back into the README text. */
export function withReplies(markdown: string, examples: Example[], replies: unknown[]): string {
  let result = markdown;
  for (let i = examples.length - 1; i >= 0; i--) {
    const example = examples[i];
    if (!example) continue;
    result = `${result.slice(0, example.replyStart)}${JSON.stringify(replies[i], null, 2)}\n${result.slice(example.replyEnd)}`;
  }
  return result;
}
