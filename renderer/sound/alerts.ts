/**
 * The console's sounds, made with Web Audio (no audio files): a short tone pattern per event, so
 * the operator can tell them apart without looking. Which events sound is a station setting;
 * `soundsFor` decides from what changed, the player only plays.
 */
import type { BridgesSnapshot } from '../../server/protocol/bridges.js';
import type { RelayState } from '../../server/protocol/relay.js';
import type { SoundEvent, SoundSettings } from '../../server/protocol/station.js';

/** The part of an AudioContext the player uses; tests pass a fake. */
export interface AudioContextLike {
  readonly currentTime: number;
  readonly destination: AudioNode;
  readonly state: AudioContextState;
  resume(): Promise<void>;
  createOscillator(): OscillatorNode;
  createGain(): GainNode;
}

/** The platform's Web Audio, or null where there is none (then nothing sounds). */
export function browserAudio(): AudioContextLike | null {
  return typeof AudioContext === 'function' ? new AudioContext() : null;
}

/** Tones of each event: [frequency Hz, start s, length s]. */
export const PATTERNS: Record<SoundEvent, readonly [number, number, number][]> = {
  // Rising: somebody is calling.
  first_caller: [
    [660, 0, 0.12],
    [880, 0.15, 0.18],
  ],
  // Three quick equal beeps: no room left.
  queue_full: [
    [520, 0, 0.08],
    [520, 0.12, 0.08],
    [520, 0.24, 0.08],
  ],
  // Falling: a logger bridge stopped.
  bridge_down: [
    [440, 0, 0.2],
    [330, 0.22, 0.2],
    [220, 0.44, 0.3],
  ],
  // Two low tones, twice: callers beyond the LAN can no longer reach the queue.
  relay_down: [
    [330, 0, 0.15],
    [262, 0.18, 0.15],
    [330, 0.4, 0.15],
    [262, 0.58, 0.15],
  ],
  // One long low tone: the console lost the server.
  connection_lost: [[196, 0, 0.6]],
};

const VOLUME = 0.15;

export interface SoundPlayer {
  play(event: SoundEvent): void;
}

/** `createContext` answers null where the platform has no Web Audio: then nothing sounds. */
export function createSoundPlayer(createContext: () => AudioContextLike | null): SoundPlayer {
  let context: AudioContextLike | null | undefined;
  return {
    play(event) {
      if (context === undefined) context = createContext();
      if (context === null) return;
      // Browsers start a context suspended until the page has been touched; resuming may fail then.
      if (context.state === 'suspended') context.resume().catch(() => undefined);
      const start = context.currentTime + 0.01;
      for (const [frequency, at, length] of PATTERNS[event]) {
        const oscillator = context.createOscillator();
        const gain = context.createGain();
        oscillator.type = 'sine';
        oscillator.frequency.value = frequency;
        // A short fade in and out: no clicks.
        gain.gain.setValueAtTime(0, start + at);
        gain.gain.linearRampToValueAtTime(VOLUME, start + at + 0.01);
        gain.gain.linearRampToValueAtTime(0, start + at + length);
        oscillator.connect(gain);
        gain.connect(context.destination);
        oscillator.start(start + at);
        oscillator.stop(start + at + length + 0.02);
      }
    },
  };
}

/** What the sounds watch, taken from the store. */
export interface Watched {
  /** The last queue change: its type and the queue's size and capacity after it. */
  queueChange: { id: number; change_type: string; total: number; max_size: number } | null;
  bridges: BridgesSnapshot | null;
  /** The relay link's state; `off` when the operator switched it off, which is no alarm. */
  relay: RelayState | null;
  online: boolean;
}

/** The events between two moments, those switched off left out. */
export function soundsFor(before: Watched, after: Watched, settings: SoundSettings): SoundEvent[] {
  const events: SoundEvent[] = [];
  const change = after.queueChange;
  if (change !== null && change.id !== before.queueChange?.id && change.change_type === 'registered') {
    if (change.total === 1) events.push('first_caller');
    if (change.total >= change.max_size) events.push('queue_full');
  }
  const wasListening = new Set(before.bridges?.bridges.filter((bridge) => bridge.state === 'listening').map((bridge) => bridge.name));
  if (after.bridges?.bridges.some((bridge) => bridge.state === 'error' && wasListening.has(bridge.name))) events.push('bridge_down');
  if (before.relay === 'connected' && (after.relay === 'connecting' || after.relay === 'error')) events.push('relay_down');
  if (before.online && !after.online) events.push('connection_lost');
  return events.filter((event) => settings[event]);
}
