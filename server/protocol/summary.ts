/**
 * The one limit on a piece of text that came from outside (a datagram, a request, a file) and
 * is shown to the operator, printed to the console or echoed in an error message: a bridge's last
 * datagram kind and summary, an unknown message type, a parser's complaint, a corrupt line's
 * preview. A sender cannot make a log line or the console's bridge panel grow without bound.
 */
export const MAX_SUMMARY_CHARS = 120;

/** `text` cut to MAX_SUMMARY_CHARS characters (code points, never half a character), `…` marking a cut. */
export function summarize(text: string): string {
  const characters = Array.from(text);
  return characters.length <= MAX_SUMMARY_CHARS ? text : `${characters.slice(0, MAX_SUMMARY_CHARS - 1).join('')}…`;
}
