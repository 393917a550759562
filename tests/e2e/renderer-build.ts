/** Builds dist/renderer with `npm run build:renderer` when it is missing or older than renderer/. */
import { execFile } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../support/cli-process.js';

const execFileAsync = promisify(execFile);
const RENDERER = path.join(REPO_ROOT, 'renderer');
const BUILT_PAGE = path.join(REPO_ROOT, 'dist', 'renderer', 'admin.html');

async function newestSource(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, await newestSource(full));
    else if (!/\.test\.tsx?$/.test(entry.name)) newest = Math.max(newest, (await stat(full)).mtimeMs);
  }
  return newest;
}

export async function ensureRendererBuilt(): Promise<void> {
  const built = await stat(BUILT_PAGE).then((info) => info.mtimeMs, () => 0);
  if (built > (await newestSource(RENDERER))) return;
  try {
    await execFileAsync('npm', ['run', 'build:renderer'], { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`npm run build:renderer failed:\n${stdout}${stderr}`, { cause: error });
  }
}
