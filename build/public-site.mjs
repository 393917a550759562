#!/usr/bin/env node
/**
 * `npm run build:public-site -- --ws-url wss://relay.example.org/nats --station-id ea8abc [--out DIR]`
 * builds the public page and the status card as a static folder (default dist/public-site) for
 * that relay and station; see renderer/public-site.config.ts. Flags win over the environment
 * (PILEUP_RELAY_WS_URL, PILEUP_STATION_ID, PILEUP_PUBLIC_SITE_DIR).
 */
/* global console, process */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'vite';

const USAGE = 'Usage: npm run build:public-site -- --ws-url wss://relay.example.org/nats --station-id ea8abc [--out dist/public-site]';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

let values;
try {
  ({ values } = parseArgs({
    options: { 'ws-url': { type: 'string' }, 'station-id': { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  }));
} catch (error) {
  console.error(`build:public-site: ${error.message}\n${USAGE}`);
  process.exit(1);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (values['ws-url'] !== undefined) process.env.PILEUP_RELAY_WS_URL = values['ws-url'];
if (values['station-id'] !== undefined) process.env.PILEUP_STATION_ID = values['station-id'];
if (values.out !== undefined) process.env.PILEUP_PUBLIC_SITE_DIR = path.resolve(values.out);

try {
  await build({ configFile: path.join(root, 'renderer', 'public-site.config.ts'), logLevel: 'warn' });
} catch (error) {
  console.error(`build:public-site: ${error.message}`);
  process.exit(1);
}
const out = process.env.PILEUP_PUBLIC_SITE_DIR ?? path.join(root, 'dist', 'public-site');
console.log(`Public site for station ${process.env.PILEUP_STATION_ID} (relay ${process.env.PILEUP_RELAY_WS_URL}) written to ${out}:`);
console.log('  index.html (the queue page) and status.html (the status card), with assets/. Copy the folder to any static host.');
