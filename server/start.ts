/**
 * `npm start`: the desktop app when the Electron runtime is installed, otherwise the same server
 * headless. On the first start the runtime is not there yet: Electron's own installer fetches it
 * (server/launcher/install-runtime.ts), and when that cannot work (no internet, a blocked host,
 * an old Node) one line says why and the server runs headless. Arguments (`--port`, `--host`)
 * reach either mode unchanged.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findRuntime } from './launcher/electron-runtime.js';
import { cannotInstall, downloadTimeout, installRuntime } from './launcher/install-runtime.js';

/** This file runs as dist/server/start.js: the project root is two folders up. */
const projectRoot = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
const mainBundle = path.join(projectRoot, 'out', 'main', 'main.js');

function launchDesktop(binary: string): void {
  // Inherited from some terminals (VS Code's), it would make Electron run as plain Node.
  const { ELECTRON_RUN_AS_NODE: _runAsNode, ...env } = process.env;
  const child = spawn(binary, [projectRoot, ...process.argv.slice(2)], { stdio: 'inherit', env });
  // Ctrl+C reaches Electron too (same process group); it quits cleanly, and so do we after it.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

/** The runtime's executable, fetched first if need be; or why there is none. */
async function desktopRuntime(): Promise<{ binary: string } | { reason: string }> {
  const runtime = findRuntime(import.meta.url, process.env);
  if (runtime.state === 'installed') return { binary: runtime.binary };
  if (runtime.state === 'unavailable') return { reason: runtime.reason };

  const refusal = cannotInstall(process.env, process.features);
  if (refusal !== null) return { reason: `the Electron runtime is not installed and ${refusal}` };
  const timeout = downloadTimeout(process.env);
  if ('error' in timeout) {
    console.error(`pileup-buster: ${timeout.error}`);
    process.exit(2);
  }
  const stop = new AbortController();
  const onSigint = () => stop.abort();
  process.once('SIGINT', onSigint);
  const outcome = await installRuntime({ ...runtime, env: process.env, timeoutS: timeout.seconds, out: process.stdout, signal: stop.signal });
  process.off('SIGINT', onSigint);
  if (stop.signal.aborted) process.exit(130);
  if (!outcome.ok) return { reason: `could not download the Electron runtime (${outcome.reason}); npx install-electron retries` };

  const installed = findRuntime(import.meta.url, process.env);
  if (installed.state !== 'installed') return { reason: "Electron's installer finished, but the runtime is still missing" };
  console.log(`Electron runtime installed in ${outcome.seconds.toFixed(0)} s.`);
  return { binary: installed.binary };
}

const runtime = existsSync(mainBundle) ? await desktopRuntime() : { reason: `${mainBundle} is missing (run npm run build:electron)` };
if ('binary' in runtime) {
  launchDesktop(runtime.binary);
} else {
  console.log(`Desktop app unavailable: ${runtime.reason}. Running the server headless.`);
  // The bundled CLI, as `npm run serve` runs it (build/headless.config.mjs): built beside this file.
  await import(new URL('./headless.js', import.meta.url).href);
}
