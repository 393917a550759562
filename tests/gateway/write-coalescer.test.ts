/**
 * Frames sent to one connection in one turn of the event loop leave in one write, in order;
 * nothing is held past the turn, and `release` lets everything go at once (shutdown).
 */
import { Writable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { WriteCoalescer } from '../../server/gateway/write-coalescer.js';

/** A socket stand-in that records each write it is handed: one entry per system call a socket would make. */
function recordingSocket(): { socket: Writable; writes: string[][] } {
  const writes: string[][] = [];
  const socket = new Writable({
    write(chunk: Buffer, _encoding, done) {
      writes.push([chunk.toString()]);
      done();
    },
    writev(chunks, done) {
      writes.push(chunks.map(({ chunk }) => (chunk as Buffer).toString()));
      done();
    },
  });
  return { socket, writes };
}

describe('write coalescing', () => {
  it('sends what one turn wrote to a connection in one write, in order', async () => {
    const coalescer = new WriteCoalescer();
    const { socket, writes } = recordingSocket();
    for (const frame of ['queue_update 1', 'queue_update 2', 'reply']) {
      coalescer.hold(socket);
      socket.write(frame);
    }
    expect(writes).toEqual([]);
    await nextTurn();
    expect(writes).toEqual([['queue_update 1', 'queue_update 2', 'reply']]);
  });

  it('holds each connection apart and nothing past the turn', async () => {
    const coalescer = new WriteCoalescer();
    const a = recordingSocket();
    const b = recordingSocket();
    coalescer.hold(a.socket);
    a.socket.write('to a');
    coalescer.hold(b.socket);
    b.socket.write('to b');
    await nextTurn();
    coalescer.hold(a.socket);
    a.socket.write('a again');
    await nextTurn();
    expect(a.writes).toEqual([['to a'], ['a again']]);
    expect(b.writes).toEqual([['to b']]);
  });

  it('lets everything held go at once on release', () => {
    const coalescer = new WriteCoalescer();
    const { socket, writes } = recordingSocket();
    coalescer.hold(socket);
    socket.write('close frame');
    coalescer.release();
    expect(writes).toEqual([['close frame']]);
  });
});
