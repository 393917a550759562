/**
 * The JSON text of a broadcast, exactly what `JSON.stringify` gives. A `queue_update` carries up
 * to 100 queue entries, and the core hands out the same array again while none of them changed
 * (core/public-queue.ts) — with 100 or more waiting, every registration. Their JSON, most of the
 * frame, is made once per array and set into each frame that carries it.
 */
import type { Broadcast } from './broadcasts.js';

const queueJson = new WeakMap<readonly unknown[], string>();

/** Stands where the queue goes; no value of a queue_update can be a string with control characters in it. */
const PLACE = '\u0000queue\u0000';
const PLACE_JSON = JSON.stringify(PLACE);

export function broadcastJson(message: Broadcast): string {
  if (message.type !== 'queue_update') return JSON.stringify(message);
  const { queue } = message.data;
  let json = queueJson.get(queue);
  if (json === undefined) {
    json = JSON.stringify(queue);
    queueJson.set(queue, json);
  }
  const frame = JSON.stringify({ ...message, data: { ...message.data, queue: PLACE } });
  const at = frame.lastIndexOf(PLACE_JSON);
  return frame.slice(0, at) + json + frame.slice(at + PLACE_JSON.length);
}
