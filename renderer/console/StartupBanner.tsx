import { usePileup } from '../store/react.js';

/**
 * What the desktop app must tell the operator once: the generated first-run password, and
 * lines it had to skip in damaged data files.
 */
export function StartupBanner() {
  const generatedPassword = usePileup((state) => state.info?.generatedPassword ?? null);
  const username = usePileup((state) => state.info?.username ?? '');
  const warnings = usePileup((state) => state.info?.storeWarnings);
  if (generatedPassword === null && (warnings === undefined || warnings.length === 0)) return null;
  return (
    <div className="startup-banner" role="note">
      {generatedPassword !== null && (
        <p>
          First run: browsers log in as <code>{username}</code> with the password <code>{generatedPassword}</code>. It is
          shown only this once; change it under Settings.
        </p>
      )}
      {warnings?.map((warning) => (
        <p key={warning}>{warning}</p>
      ))}
    </div>
  );
}
