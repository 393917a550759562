/**
 * Group commit on a fake file handle that counts writes and syncs, holds a sync open until the
 * test lets it finish, and fails a write half-way or a sync the way a full or broken disk does.
 * It can also act as a file opened with O_DSYNC, whose every write is durable when it returns.
 */
import { describe, expect, it } from 'vitest';
import { type CommitOutcome, type CommitTarget, GroupCommit } from '../../server/store/group-commit.js';

class FakeFile implements CommitTarget {
  constructor(readonly writesAreDurable = false) {}

  content = Buffer.alloc(0);
  writes = 0;
  syncs = 0;
  truncates: number[] = [];
  /** Bytes the next write takes before it fails with this code. */
  failWrite: { after: number; code: string } | null = null;
  failSync: string | null = null;
  failTruncate = 0;
  /** Syncs wait for `release()` while true. */
  holdSyncs = false;
  private held: (() => void)[] = [];
  /** The content at the moment of each sync: what a power cut after it would keep. */
  synced: string[] = [];

  async write(buffer: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesWritten: number }> {
    this.writes += 1;
    let take = length;
    const failure = this.failWrite;
    if (failure !== null) {
      this.failWrite = null;
      if (failure.after === 0) throw Object.assign(new Error(`${failure.code}: fake`), { code: failure.code });
      take = Math.min(length, failure.after);
      // A short write: the next call (for the rest) fails.
      this.failWrite = { after: 0, code: failure.code };
    }
    const end = position + take;
    if (this.content.length < end) this.content = Buffer.concat([this.content, Buffer.alloc(end - this.content.length)]);
    Buffer.from(buffer.subarray(offset, offset + take)).copy(this.content, position);
    if (this.writesAreDurable) this.synced.push(this.text());
    return { bytesWritten: take };
  }

  async datasync(): Promise<void> {
    this.syncs += 1;
    if (this.holdSyncs) await new Promise<void>((resolve) => this.held.push(resolve));
    if (this.failSync !== null) {
      const code = this.failSync;
      this.failSync = null;
      throw Object.assign(new Error(`${code}: fake`), { code });
    }
    this.synced.push(this.text());
  }

  async truncate(length: number): Promise<void> {
    if (this.failTruncate > 0) {
      this.failTruncate -= 1;
      throw Object.assign(new Error('EIO: fake'), { code: 'EIO' });
    }
    this.truncates.push(length);
    this.content = this.content.subarray(0, length);
  }

  release(): void {
    this.holdSyncs = false;
    for (const resolve of this.held.splice(0)) resolve();
  }

  text(): string {
    return this.content.toString('utf8');
  }
}

const line = (text: string) => Buffer.from(`${text}\n`);
const tick = () => new Promise((resolve) => setImmediate(resolve));

function setup(initial = '', writesAreDurable = false) {
  const file = new FakeFile(writesAreDurable);
  file.content = Buffer.from(initial);
  const outcomes: CommitOutcome[] = [];
  const commits = new GroupCommit(file, file.content.length, (outcome) => outcomes.push(outcome));
  return { file, commits, outcomes };
}

describe('group commit', () => {
  it('resolves an append only after its bytes are written and synced', async () => {
    const { file, commits } = setup();
    file.holdSyncs = true;
    let done = false;
    const appended = commits.append(line('a')).then((range) => {
      done = true;
      return range;
    });
    await tick();
    expect(file.text()).toBe('a\n');
    expect(done).toBe(false);
    file.release();
    expect(await appended).toEqual({ start: 0, end: 2 });
    expect(file.synced).toEqual(['a\n']);
  });

  it('appends that arrive while a sync is in flight share the next write and the next sync', async () => {
    const { file, commits } = setup();
    file.holdSyncs = true;
    const first = commits.append(line('first'));
    await tick();
    expect(file.syncs).toBe(1);
    const rest = Array.from({ length: 10 }, (_, i) => commits.append(line(`r${i}`)));
    await tick();
    // Still one sync: the ten wait for the one in flight.
    expect(file.syncs).toBe(1);
    file.release();
    file.holdSyncs = true;
    await first;
    await tick();
    expect(file.writes).toBe(2);
    expect(file.syncs).toBe(2);
    file.release();
    const ranges = await Promise.all(rest);
    expect(file.syncs).toBe(2);
    expect(file.text()).toBe(['first', ...Array.from({ length: 10 }, (_, i) => `r${i}`)].map((t) => `${t}\n`).join(''));
    // Each append learns where it landed, in order.
    expect(ranges[0]).toEqual({ start: 6, end: 9 });
    expect(ranges[9]).toEqual({ start: 33, end: 36 });
    expect(commits.syncs).toBe(2);
    expect(commits.bytesAppended).toBe(36);
  });

  it('appends at the good length: a file that was cut back is never appended behind a fragment', async () => {
    const { file, commits } = setup('kept\n');
    await commits.append(line('next'));
    expect(file.text()).toBe('kept\nnext\n');
  });

  it.each(['ENOSPC', 'EIO', 'EROFS'])('a write cut short by %s refuses the whole group and cuts the file back', async (code) => {
    const { file, commits, outcomes } = setup('good\n');
    file.holdSyncs = true;
    const blocker = commits.append(line('one'));
    await tick();
    const group = [commits.append(line('two-two')), commits.append(line('three'))];
    file.failWrite = { after: 4, code };
    file.release();
    await blocker;
    const results = await Promise.allSettled(group);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect((results[0] as PromiseRejectedResult).reason).toMatchObject({ code });
    // Nothing of the refused group is left, not even the 4 bytes that made it.
    expect(file.text()).toBe('good\none\n');
    expect(commits.length).toBe(9);
    expect(outcomes.at(-1)).toMatchObject({ ok: false });

    await commits.append(line('after'));
    expect(file.text()).toBe('good\none\nafter\n');
    expect(outcomes.at(-1)).toEqual({ ok: true });
  });

  it('a sync that fails refuses its group and cuts what it wrote', async () => {
    const { file, commits } = setup('good\n');
    file.failSync = 'EIO';
    await expect(commits.append(line('lost'))).rejects.toMatchObject({ code: 'EIO' });
    expect(file.text()).toBe('good\n');
    await commits.append(line('ok'));
    expect(file.text()).toBe('good\nok\n');
  });

  it('on a file opened with O_DSYNC, the write is the sync: no fdatasync after it, but one after a cut', async () => {
    const { file, commits } = setup('good\n', true);
    expect(await commits.append(line('a'))).toEqual({ start: 5, end: 7 });
    expect(file.synced).toEqual(['good\na\n']);
    expect(file.syncs).toBe(0);
    expect(commits.syncs).toBe(1);
    file.failWrite = { after: 3, code: 'ENOSPC' };
    await expect(commits.append(line('fragment'))).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(file.text()).toBe('good\na\n');
    expect(file.syncs).toBe(1);
  });

  it('when even the cut fails, the next append cuts first and still lands on a fresh line', async () => {
    const { file, commits } = setup('good\n');
    file.failWrite = { after: 3, code: 'ENOSPC' };
    file.failTruncate = 1;
    await expect(commits.append(line('fragment'))).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(file.text()).toBe('good\nfra');
    await commits.append(line('next'));
    expect(file.text()).toBe('good\nnext\n');
  });

  it('runs onDurable before the append resolves and before an exclusive task that follows it', async () => {
    const { commits } = setup();
    const order: string[] = [];
    const appended = commits.append(line('x'), () => order.push('durable')).then(() => order.push('resolved'));
    const task = commits.exclusive(async () => order.push('task'));
    await Promise.all([appended, task]);
    expect(order[0]).toBe('durable');
    expect(order).toEqual(expect.arrayContaining(['task', 'resolved']));
  });

  it('cuts back the last append on request, and refuses to cut any other', async () => {
    const { file, commits } = setup('good\n');
    const first = await commits.append(line('one'));
    const second = await commits.append(line('two'));
    await expect(commits.exclusive(() => commits.cutBack(first))).rejects.toThrow('only the last append');
    await commits.exclusive(() => commits.cutBack(second));
    expect(file.text()).toBe('good\none\n');
    expect(file.synced.at(-1)).toBe('good\none\n');
  });

  it('an append it failed to cut back is cut before the next one, and written over', async () => {
    const { file, commits } = setup('good\n');
    const taken = await commits.append(line('refused'));
    file.failTruncate = 1;
    await expect(commits.exclusive(() => commits.cutBack(taken))).rejects.toMatchObject({ code: 'EIO' });
    await commits.append(line('next'));
    expect(file.text()).toBe('good\nnext\n');
  });
});
