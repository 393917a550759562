import { useEffect, useRef } from 'react';
import { type AudioContextLike, browserAudio, createSoundPlayer, soundsFor, type Watched } from '../sound/alerts.js';
import { usePileup } from '../store/react.js';

/**
 * Plays the console's sounds (renderer/sound/alerts.ts) for what the store sees change, as the
 * station settings allow. Renders nothing.
 */
export function SoundAlerts({ createContext = browserAudio }: { createContext?: () => AudioContextLike | null }) {
  const sounds = usePileup((state) => state.station?.sounds ?? null);
  const queueChange = usePileup((state) => state.queueChange);
  const bridges = usePileup((state) => state.bridges);
  const relay = usePileup((state) => state.relay?.state ?? null);
  const online = usePileup((state) => state.connection.status === 'online');
  const player = useRef(createSoundPlayer(createContext));
  const before = useRef<Watched>({ queueChange, bridges, relay, online });

  useEffect(() => {
    const after: Watched = { queueChange, bridges, relay, online };
    if (sounds !== null) for (const event of soundsFor(before.current, after, sounds)) player.current.play(event);
    before.current = after;
  }, [sounds, queueChange, bridges, relay, online]);

  return null;
}
