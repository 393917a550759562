/**
 * Tests that need a program or a privilege a machine may lack (a Debian package, root, a loop
 * device): where it is missing they are skipped with a loud message, unless E2E_REQUIRED=1 —
 * which .ci/run sets after installing everything — makes the missing thing a failure.
 */
export const e2eRequired = process.env.E2E_REQUIRED === '1';

/** The loud message of skipped tests: what is skipped, why, and what runs them. */
export function warnSkipped(what: string, why: string, howToRun: string): void {
  const line = '!'.repeat(78);
  console.warn(`\n${line}\n!! ${what} SKIPPED: ${why}.\n!! ${howToRun}, or set E2E_REQUIRED=1 to make this a failure.\n${line}\n`);
}
