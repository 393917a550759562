/**
 * `npm run build:public-site`: the public page and the status card as a static folder for any
 * static host (the relay's nginx, GitHub Pages, …), configured for one relay and station. The
 * same pages as the LAN build; what differs is written into their HTML at build time:
 * - `<meta name="pileup-relay">`: the relay's WebSocket URL(s) and the station id, which make
 *   the pages use the NATS transport (renderer/transport/public-link.ts);
 * - a `<meta>` Content-Security-Policy that lets them reach exactly that relay (a static host
 *   cannot send headers), built by the server's own policy function.
 * Settings come from build/public-site.mjs (flags) through PILEUP_RELAY_WS_URL, PILEUP_STATION_ID
 * and PILEUP_PUBLIC_SITE_DIR.
 */
import path from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import { pagePolicy } from '../server/gateway/static-pages.js';
import { STATION_ID_PROBLEM, stationIdSchema } from '../server/protocol/relay.js';
import { here, rendererConfig } from './vite.config.js';

export interface PublicSiteSettings {
  servers: string[];
  station: string;
  outDir: string;
}

/** Checks the settings and throws one sentence naming what is wrong. */
export function publicSiteSettings(env: NodeJS.ProcessEnv): PublicSiteSettings {
  const servers = (env.PILEUP_RELAY_WS_URL ?? '').split(',').map((url) => url.trim()).filter((url) => url !== '');
  if (servers.length === 0) throw new Error('give the relay\'s WebSocket URL: --ws-url wss://relay.example.org/nats');
  for (const url of servers) {
    const parsed = URL.canParse(url) ? new URL(url) : null;
    if (parsed === null || !['wss:', 'ws:'].includes(parsed.protocol) || parsed.username !== '' || parsed.password !== '') {
      throw new Error(`--ws-url must be a wss:// URL (ws:// only for a test on this machine), got ${JSON.stringify(url)}`);
    }
  }
  const station = stationIdSchema.safeParse(env.PILEUP_STATION_ID ?? '');
  if (!station.success) throw new Error(`--station-id ${STATION_ID_PROBLEM} (got ${JSON.stringify(env.PILEUP_STATION_ID ?? '')})`);
  return { servers, station: station.data, outDir: path.resolve(env.PILEUP_PUBLIC_SITE_DIR ?? here('../dist/public-site')) };
}

/** The escaped attribute value of a meta tag. */
function attribute(value: string): string {
  return value.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');
}

function relayPages(settings: PublicSiteSettings): Plugin {
  const origins = [...new Set(settings.servers.map((url) => new URL(url).origin.replace(/^http/, 'ws')))];
  const config = JSON.stringify({ servers: settings.servers, station: settings.station });
  return {
    name: 'pileup-relay-pages',
    transformIndexHtml: {
      order: 'pre',
      handler: (html) =>
        html.replace(
          '<meta charset="utf-8" />',
          [
            '<meta charset="utf-8" />',
            `    <meta http-equiv="Content-Security-Policy" content="${attribute(pagePolicy(origins, null))}" />`,
            `    <meta name="pileup-relay" content="${attribute(config)}" />`,
          ].join('\n'),
        ),
    },
  };
}

export default defineConfig(() => {
  const settings = publicSiteSettings(process.env);
  return rendererConfig({ pages: ['index', 'status'], outDir: settings.outDir, plugins: [relayPages(settings)] });
});
