/** How a QSO's `source` reads on screen; a source added by a newer server is shown as sent. */
export function sourceLabel(source: string): string {
  switch (source) {
    case 'queue':
    case 'queue_specific':
      return 'queue';
    case 'logging_software':
      return 'logging software';
    default:
      return source.replaceAll('_', ' ');
  }
}

/** `14.195 MHz SSB`, or null when neither is known. */
export function frequencyLabel(frequency: string | null | undefined, mode: string | null | undefined): string | null {
  const parts = [frequency ? `${frequency} MHz` : null, mode ?? null].filter((part) => part !== null && part !== '');
  return parts.length > 0 ? parts.join(' ') : null;
}
