import { useEffect, useState } from 'react';

/**
 * A QR code of `text` (the public page's address), drawn by the `qrcode` library as SVG and
 * shown as an image: no canvas, nothing inline for the CSP to refuse. The library is loaded on
 * first use, so pages that never show a code never load it.
 */
export function QrCode({ text, label, size = 160 }: { text: string; label: string; size?: number }) {
  const [source, setSource] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void import('qrcode')
      .then(({ toString }) => toString(text, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }))
      .then((svg) => {
        if (live) setSource(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`);
      });
    return () => {
      live = false;
    };
  }, [text]);
  return source === null ? (
    <span className="qr-code is-loading" aria-hidden="true" />
  ) : (
    <img className="qr-code" src={source} width={size} height={size} alt={label} />
  );
}
