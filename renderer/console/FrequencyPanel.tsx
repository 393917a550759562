import { type FormEvent, type Ref, useEffect, useState } from 'react';
import { readFrequency } from '../../server/protocol/frequency.js';
import { frequencyLabel } from '../components/qso-labels.js';
import { useActions, usePileup } from '../store/react.js';

const COMMON_MODES = ['SSB', 'USB', 'LSB', 'CW', 'FT8', 'FT4', 'RTTY', 'AM', 'FM'];

/** A field that follows the server's value until the operator edits it. */
function useDraft(value: string | null): [string, (next: string) => void] {
  const [draft, setDraft] = useState(value ?? '');
  useEffect(() => setDraft(value ?? ''), [value]);
  return [draft, setDraft];
}

export function FrequencyPanel({ frequencyRef }: { frequencyRef: Ref<HTMLInputElement> }) {
  const frequency = usePileup((state) => state.pileup.frequency);
  const mode = usePileup((state) => state.pileup.mode);
  const split = usePileup((state) => state.pileup.split);
  const { setFrequency, clearFrequency, setSplit, clearSplit } = useActions();
  const [frequencyDraft, setFrequencyDraft] = useDraft(frequency);
  const [modeDraft, setModeDraft] = useDraft(mode);
  const [splitDraft, setSplitDraft] = useDraft(split);
  const onAir = frequencyLabel(frequency, mode);
  const [problem, setProblem] = useState<string | null>(null);

  // The server's own rule (server/protocol/frequency.ts), so a typo is explained before it is sent.
  function submitFrequency(event: FormEvent) {
    event.preventDefault();
    const reading = readFrequency(frequencyDraft);
    if (!reading.ok) {
      setProblem(`Frequency ${reading.problem}.`);
      return;
    }
    setProblem(null);
    setFrequencyDraft(reading.mhz);
    void setFrequency(reading.mhz, modeDraft);
  }

  function submitSplit(event: FormEvent) {
    event.preventDefault();
    void setSplit(splitDraft);
  }

  return (
    <section className="card frequency" aria-labelledby="frequency-title">
      <div className="card-heading">
        <h2 id="frequency-title">Frequency</h2>
        <p className="muted">
          {onAir ?? 'Not set'}
          {split !== null && <> · split {split}</>}
        </p>
      </div>
      <form className="inline-form" onSubmit={submitFrequency} aria-label="Frequency and mode">
        <label>
          MHz or kHz
          <input
            ref={frequencyRef}
            inputMode="decimal"
            placeholder="14.195 or 14195"
            value={frequencyDraft}
            onChange={(event) => {
              setFrequencyDraft(event.target.value);
              setProblem(null);
            }}
            aria-keyshortcuts="F"
            aria-invalid={problem !== null}
            aria-describedby="frequency-problem"
            required
          />
        </label>
        <label>
          Mode
          <input list="common-modes" placeholder="SSB" value={modeDraft} onChange={(event) => setModeDraft(event.target.value)} />
        </label>
        <datalist id="common-modes">
          {COMMON_MODES.map((common) => (
            <option key={common} value={common} />
          ))}
        </datalist>
        <button type="submit">
          Set<span className="visually-hidden"> frequency</span>
        </button>
        <button type="button" disabled={frequency === null} onClick={() => void clearFrequency()}>
          Clear<span className="visually-hidden"> frequency</span>
        </button>
      </form>
      <p id="frequency-problem" className="field-error" role="alert">
        {problem}
      </p>
      <form className="inline-form" onSubmit={submitSplit} aria-label="Split">
        <label>
          Split
          <input placeholder="up 5" value={splitDraft} onChange={(event) => setSplitDraft(event.target.value)} required />
        </label>
        <button type="submit">
          Set<span className="visually-hidden"> split</span>
        </button>
        <button type="button" disabled={split === null} onClick={() => void clearSplit()}>
          Clear<span className="visually-hidden"> split</span>
        </button>
      </form>
    </section>
  );
}
