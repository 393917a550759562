import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ensureBuilt, REPO_ROOT } from '../support/cli-process.js';

const START = path.join(REPO_ROOT, 'dist', 'server', 'start.js');
const runtimeInstalled = existsSync(path.join(REPO_ROOT, 'node_modules', 'electron', 'path.txt'));

/**
 * A project folder with the built start.js and a stand-in Electron runtime: a shell script that
 * records its arguments and environment, then exits with code 3.
 */
async function projectWithRuntime(): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'pileup-start-'));
  await mkdir(path.join(root, 'dist', 'server'), { recursive: true });
  await copyFile(START, path.join(root, 'dist', 'server', 'start.js'));
  await mkdir(path.join(root, 'out', 'main'), { recursive: true });
  await writeFile(path.join(root, 'out', 'main', 'main.js'), '');
  const electron = path.join(root, 'node_modules', 'electron');
  await mkdir(path.join(electron, 'dist'), { recursive: true });
  await writeFile(path.join(electron, 'package.json'), '{"name":"electron","version":"45.5.0"}');
  await writeFile(path.join(electron, 'path.txt'), 'electron');
  const binary = path.join(electron, 'dist', 'electron');
  await writeFile(
    binary,
    `#!/bin/sh\nprintf '%s\\n' "$@" > "${root}/args.txt"\necho "\${ELECTRON_RUN_AS_NODE:-unset}" > "${root}/run-as-node.txt"\nexit 3\n`,
  );
  await chmod(binary, 0o755);
  return root;
}

const made: string[] = [];

beforeAll(async () => {
  await ensureBuilt();
});

afterEach(async () => {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('npm start', () => {
  it.skipIf(process.platform === 'win32')(
    'launches the installed Electron runtime on the project, passing the arguments through',
    async () => {
      const root = await projectWithRuntime();
      made.push(root);
      const exit = await new Promise<number | null>((resolve) => {
        execFile(process.execPath, [path.join(root, 'dist', 'server', 'start.js'), '--port=8123'], {
          env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
        }).once('exit', resolve);
      });
      expect(exit).toBe(3);
      expect((await readFile(path.join(root, 'args.txt'), 'utf8')).split('\n')).toEqual([root, '--port=8123', '']);
      // Inherited, it would turn the app into plain Node.
      expect((await readFile(path.join(root, 'run-as-node.txt'), 'utf8')).trim()).toBe('unset');
    },
  );

  it.skipIf(runtimeInstalled)('runs the server headless, saying why in one line, when the runtime is absent', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'pileup-start-data-'));
    made.push(dataDir);
    const child = spawn(process.execPath, [START, '--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir], {
      env: { ...process.env, ADMIN_PASSWORD: 'secret-pass' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
    });
    await vi.waitFor(() => expect(out).toContain('Press Ctrl+C to stop.'), { timeout: 10_000 });
    expect(out.split('\n')[0]).toBe(
      'Electron runtime not installed (node_modules/electron/path.txt missing): running the server headless.',
    );
    expect(out).toMatch(/WebSocket API: ws:\/\/127\.0\.0\.1:\d+\/api\/ws/);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});
