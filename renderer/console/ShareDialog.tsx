import { Dialog } from '../components/Dialog.js';
import { QrCode } from '../components/QrCode.js';
import { usePileup } from '../store/react.js';

/** Where callers, other operators and logging software reach this station, with a QR code of the public page. */
export function ShareDialog({ onClose }: { onClose: () => void }) {
  const info = usePileup((state) => state.info);
  const publicUrls = info?.publicUrls ?? [];
  const first = publicUrls[0];
  return (
    <Dialog
      title="Addresses of this station"
      onClose={onClose}
      actions={
        <button type="button" onClick={onClose}>
          Close
        </button>
      }
    >
      <div className="share">
        {first !== undefined && <QrCode text={first} label={`QR code of the public page, ${first}`} />}
        <dl className="url-facts">
          <dt>Public page (callers)</dt>
          {publicUrls.map((url) => (
            <dd key={url}>
              <code>{url}</code>
            </dd>
          ))}
          <dt>Operator console</dt>
          {(info?.consoleUrls ?? []).map((url) => (
            <dd key={url}>
              <code>{url}</code>
            </dd>
          ))}
          <dt>Logging software (WebSocket)</dt>
          {(info?.wsUrls ?? []).map((url) => (
            <dd key={url}>
              <code>{url}</code>
            </dd>
          ))}
        </dl>
      </div>
    </Dialog>
  );
}
