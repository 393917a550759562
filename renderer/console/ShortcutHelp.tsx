import { Dialog } from '../components/Dialog.js';
import { SHORTCUTS } from './shortcuts.js';

export function ShortcutHelp({ onClose }: { onClose: () => void }) {
  return (
    <Dialog
      title="Keyboard shortcuts"
      onClose={onClose}
      actions={
        <button type="button" onClick={onClose}>
          Close
        </button>
      }
    >
      <table className="shortcut-table">
        <tbody>
          {SHORTCUTS.map((shortcut) => (
            <tr key={shortcut.key}>
              <th scope="row">
                <kbd>{shortcut.key}</kbd>
              </th>
              <td>{shortcut.description}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">Shortcuts do nothing while you type in a field. Escape closes a dialog.</p>
    </Dialog>
  );
}
