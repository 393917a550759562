import { useEffect } from 'react';
import { useActions, usePileup } from '../store/react.js';

const INFO_VISIBLE_MS = 5000;

/** The result of the last command that has something to say; errors stay until dismissed. */
export function NoticeBar() {
  const notice = usePileup((state) => state.notice);
  const { dismissNotice } = useActions();

  useEffect(() => {
    if (notice?.tone !== 'info') return;
    const timer = setTimeout(dismissNotice, notice.action?.forMs ?? INFO_VISIBLE_MS);
    return () => clearTimeout(timer);
  }, [notice, dismissNotice]);

  // The live region is always there, so screen readers announce what appears in it.
  return (
    <div className="notice-region" role="status">
      {notice !== null && (
        <div className={`notice notice-${notice.tone}`}>
          <span>{notice.text}</span>
          <span className="notice-buttons">
            {notice.action !== undefined && (
              <button
                type="button"
                className="primary"
                onClick={() => {
                  notice.action?.run();
                  dismissNotice();
                }}
              >
                {notice.action.label}
              </button>
            )}
            <button type="button" onClick={dismissNotice}>
              Dismiss
            </button>
          </span>
        </div>
      )}
    </div>
  );
}
