/**
 * The release workflow cannot run here (it needs GitHub's runners and GitHub itself): this checks
 * that it parses and says what a release needs.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from '../support/cli-process.js';

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  needs?: string;
  'runs-on': string;
  strategy?: { matrix: { include: { os: string; targets: string }[] } };
  steps: Step[];
}
interface Workflow {
  on: { push: { tags: string[] } };
  permissions: Record<string, string>;
  jobs: Record<string, Job>;
}

let workflow: Workflow;

beforeAll(async () => {
  workflow = parse(await readFile(path.join(REPO_ROOT, '.github', 'workflows', 'release.yml'), 'utf8'), { strict: true }) as Workflow;
});

describe('the release workflow', () => {
  it('runs on a version tag, allowed to write releases', () => {
    expect(workflow.on.push.tags).toEqual(['v*.*.*']);
    expect(workflow.permissions).toEqual({ contents: 'write' });
  });

  it('builds AppImage and deb on Linux, NSIS on Windows, dmg (and the updater’s zip) on macOS, each on its own runner', () => {
    const builds = workflow.jobs.build?.strategy?.matrix.include.map(({ os, targets }) => [os, targets]);
    expect(builds).toEqual([
      ['ubuntu-latest', '--linux AppImage deb --x64'],
      ['windows-latest', '--win nsis --x64'],
      ['macos-latest', '--mac dmg zip --x64 --arm64'],
    ]);
  });

  it('builds with the Node that Electron and its installer need', async () => {
    const { engines } = JSON.parse(await readFile(path.join(REPO_ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')) as {
      engines: { node: string };
    };
    expect(engines.node).toBe('>= 22.12.0');
    const setup = workflow.jobs.build?.steps.find((step) => step.uses?.startsWith('actions/setup-node@'));
    // A bare major is the newest release of that line: 22 is past 22.12.
    expect(setup?.with?.['node-version']).toBe(22);
  });

  it('uploads into a draft made first and publishes it only after every build', () => {
    expect(workflow.jobs.build?.needs).toBe('draft');
    expect(workflow.jobs.publish?.needs).toBe('build');
    const upload = workflow.jobs.build?.steps.find((step) => step.run?.includes('electron-builder'));
    expect(upload?.run).toContain('--config electron-builder.yml');
    expect(upload?.run).toContain('--publish always');
    // The feed in app-update.yml must name this repository.
    expect(upload?.run).toContain('-c.publish.owner=${{ github.repository_owner }} -c.publish.repo=${{ github.event.repository.name }}');
    expect(upload?.env?.GH_TOKEN).toBe('${{ secrets.GITHUB_TOKEN }}');
    expect(workflow.jobs.publish?.steps.map((step) => step.run)).toEqual(['gh release edit "$GITHUB_REF_NAME" --draft=false --latest']);
  });

  it('refuses a tag that is not the version in package.json', () => {
    expect(workflow.jobs.draft?.steps.map((step) => step.run)).toContain(
      'test "$GITHUB_REF_NAME" = "v$(node -p \'require("./package.json").version\')"',
    );
  });
});
