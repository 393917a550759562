/**
 * `npm run security`: electronegativity over electron/, for the Electron version installed
 * (45.5.0). It fails on any HIGH or MEDIUM finding and on any file it could not parse. A MEDIUM
 * that was reviewed and accepted is silenced where it occurs, with `// eng-disable CHECK_ID` and
 * a comment saying why; LOW and informational findings are listed for review only.
 */
/* global console, process */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const run = require('@doyensec/electronegativity');
const { severity } = require('@doyensec/electronegativity/dist/finder/attributes');
// The package manifest only: requiring `electron` itself would start a download.
const { version: electronVersion } = require('electron/package.json');

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const FAIL_AT = severity.MEDIUM;

const { issues, errors } = await run({
  input: path.join(root, 'electron'),
  electronVersionOverride: electronVersion,
  isRelative: true,
});

for (const issue of issues) {
  const where = `electron/${issue.file}:${issue.location.line}:${issue.location.column}`;
  console.log(`${issue.severity.name.padEnd(13)} ${issue.id} ${where} ${issue.description} ${issue.shortenedURL ?? ''}`);
}
const unparsed = errors.filter((error) => !error.tolerable);
for (const error of unparsed) console.log(`UNPARSED      ${error.file}: ${error.message}`);

const failing = issues.filter((issue) => issue.severity.value >= FAIL_AT.value);
console.log(
  `electronegativity (Electron ${electronVersion}): ${issues.length} finding(s), ` +
    `${failing.length} at ${FAIL_AT.name} or above, ${unparsed.length} file(s) not parsed`,
);
if (failing.length > 0 || unparsed.length > 0) process.exit(1);
