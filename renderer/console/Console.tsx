import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { ConfirmDialog } from '../components/Dialog.js';
import { BanDialog } from './BanDialog.js';
import { useActions, usePileup } from '../store/react.js';
import { ConsoleHeader } from './ConsoleHeader.js';
import { CurrentQsoCard } from './CurrentQsoCard.js';
import { FrequencyPanel } from './FrequencyPanel.js';
import { LogPanel } from './LogPanel.js';
import { LoginScreen } from './LoginScreen.js';
import { NoticeBar } from './NoticeBar.js';
import { QueuePanel } from './QueuePanel.js';
import { SettingsPanel } from './SettingsPanel.js';
import { ShareDialog } from './ShareDialog.js';
import { ShortcutHelp } from './ShortcutHelp.js';
import { shortcutFor } from './shortcuts.js';
import { SoundAlerts } from './SoundAlerts.js';
import { StartupBanner } from './StartupBanner.js';
import { StatsPanel } from './StatsPanel.js';
import { StorageBanner } from './StorageBanner.js';
import { Tabs } from './Tabs.js';

// The map (d3-geo and the Natural Earth outlines) loads when its tab is first opened, so the
// console's first paint does not wait for it.
const MapPanel = lazy(() => import('./map/MapPanel.js'));

type Confirmation = 'clear-queue' | 'deactivate';

/** The operator's screen: who is waiting, who is being worked, and the switch. */
export function Console() {
  const session = usePileup((state) => state.session);
  const active = usePileup((state) => state.pileup.system_active);
  const queueSize = usePileup((state) => state.pileup.queue_size);
  const working = usePileup((state) => state.pileup.current_qso !== null);
  const actions = useActions();
  const [confirming, setConfirming] = useState<Confirmation | null>(null);
  const [banning, setBanning] = useState<string | null>(null);
  const [helpOpen, setHelpOpen] = useState(false);
  const [sharing, setSharing] = useState(false);
  const frequencyRef = useRef<HTMLInputElement>(null);

  // Switching off throws the queue away, so it asks first when there is something to lose.
  const requestToggle = () => {
    if (active && (queueSize > 0 || working)) setConfirming('deactivate');
    else void actions.toggleSystem(!active);
  };

  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      const action = shortcutFor(event);
      if (action === null || confirming !== null || banning !== null || sharing) return;
      if (helpOpen && action !== 'help') return;
      event.preventDefault();
      switch (action) {
        case 'workNext':
          void actions.workNext();
          return;
        case 'complete':
          void actions.completeQso();
          return;
        case 'cancel':
          void actions.cancelQso();
          return;
        case 'noShow':
          if (working) void actions.noShow();
          return;
        case 'toggle':
          requestToggle();
          return;
        case 'frequency':
          // Selected, so what is typed replaces it: 14195 and Enter, done.
          frequencyRef.current?.focus();
          frequencyRef.current?.select();
          return;
        case 'help':
          setHelpOpen((open) => !open);
          return;
      }
    }
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  });

  if (session === 'logged-out') return <LoginScreen />;

  return (
    <div className="console">
      <ConsoleHeader onToggle={requestToggle} onHelp={() => setHelpOpen(true)} onShare={() => setSharing(true)} />
      <StorageBanner />
      <StartupBanner />
      <NoticeBar />
      <main className="console-main">
        <div className="console-column">
          <CurrentQsoCard />
          <QueuePanel onClear={() => setConfirming('clear-queue')} onBan={setBanning} />
        </div>
        <div className="console-column">
          <FrequencyPanel frequencyRef={frequencyRef} />
          <Tabs
            label="Log and settings"
            tabs={[
              { id: 'log', label: 'QSO log', content: <LogPanel /> },
              {
                id: 'map',
                label: 'Map',
                content: (
                  <Suspense fallback={<p className="muted">Loading the map…</p>}>
                    <MapPanel />
                  </Suspense>
                ),
              },
              { id: 'stats', label: 'Rates', content: <StatsPanel /> },
              { id: 'settings', label: 'Settings', content: <SettingsPanel /> },
            ]}
          />
        </div>
      </main>
      <SoundAlerts />
      {helpOpen && <ShortcutHelp onClose={() => setHelpOpen(false)} />}
      {sharing && <ShareDialog onClose={() => setSharing(false)} />}
      {banning !== null && (
        <BanDialog
          callsign={banning}
          onCancel={() => setBanning(null)}
          onBan={(reason, onlyThisForm) => {
            setBanning(null);
            void actions.banCallsign(banning, reason, onlyThisForm);
          }}
        />
      )}
      {confirming === 'clear-queue' && (
        <ConfirmDialog
          title="Clear the queue?"
          confirmLabel="Clear queue"
          onCancel={() => setConfirming(null)}
          onConfirm={() => {
            setConfirming(null);
            void actions.clearQueue();
          }}
        >
          <p>
            {queueSize} waiting {queueSize === 1 ? 'station is' : 'stations are'} removed. They can register again.
          </p>
        </ConfirmDialog>
      )}
      {confirming === 'deactivate' && (
        <ConfirmDialog
          title="Switch the system off?"
          confirmLabel="Switch off"
          onCancel={() => setConfirming(null)}
          onConfirm={() => {
            setConfirming(null);
            void actions.toggleSystem(false);
          }}
        >
          <p>
            Callers can no longer register, the current QSO is completed and logged, and the {queueSize} waiting{' '}
            {queueSize === 1 ? 'station is' : 'stations are'} removed from the queue.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}
