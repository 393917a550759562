import { type FormEvent, useState } from 'react';
import { baseCallsign } from '../../server/ham/base-call.js';
import { Dialog } from '../components/Dialog.js';

interface BanDialogProps {
  callsign: string;
  onCancel: () => void;
  onBan: (reason: string, onlyThisForm: boolean) => void;
}

/**
 * Asks for the reason of a ban (only the operator sees it); Enter bans, Escape cancels. A ban
 * covers every form of the call unless the operator ticks "only this form".
 */
export function BanDialog({ callsign, onCancel, onBan }: BanDialogProps) {
  const [reason, setReason] = useState('');
  const [onlyThisForm, setOnlyThisForm] = useState(false);
  const base = baseCallsign(callsign);

  function submit(event: FormEvent) {
    event.preventDefault();
    onBan(reason, onlyThisForm);
  }

  return (
    <Dialog
      title={`Ban ${callsign}?`}
      onClose={onCancel}
      actions={
        <>
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" form="ban-form" className="danger">
            Ban
          </button>
        </>
      }
    >
      <form id="ban-form" className="stacked-form" onSubmit={submit}>
        <label>
          Reason (only you see it)
          <input autoFocus maxLength={200} value={reason} onChange={(event) => setReason(event.target.value)} />
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={onlyThisForm} onChange={(event) => setOnlyThisForm(event.target.checked)} /> Only this form
          ({callsign}), not {base === callsign ? `${callsign}/P or EA8/${callsign}` : `${base} and its other forms`}
        </label>
      </form>
      <p className="muted">
        {callsign} leaves the queue and cannot register again. You can undo it for a minute.
      </p>
    </Dialog>
  );
}
