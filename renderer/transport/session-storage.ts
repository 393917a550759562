/**
 * Where the browser console keeps its operator session, so a reload does not ask for the
 * password again. sessionStorage (not localStorage): it dies with the tab, and is never sent
 * to the server on its own the way a cookie would be.
 */
export interface StoredSession {
  token: string;
  username: string;
}

export interface SessionStore {
  read(): StoredSession | null;
  write(session: StoredSession | null): void;
}

const KEY = 'pileup-buster.session';

export function browserSessionStore(): SessionStore {
  const storage = window.sessionStorage;
  return {
    read() {
      try {
        const parsed: unknown = JSON.parse(storage.getItem(KEY) ?? 'null');
        if (typeof parsed !== 'object' || parsed === null) return null;
        const { token, username } = parsed as Record<string, unknown>;
        return typeof token === 'string' && typeof username === 'string' ? { token, username } : null;
      } catch {
        return null;
      }
    },
    write(session) {
      if (session === null) storage.removeItem(KEY);
      else storage.setItem(KEY, JSON.stringify(session));
    },
  };
}

/** For pages that never log in (the public and status pages) and for tests. */
export function memorySessionStore(): SessionStore {
  let session: StoredSession | null = null;
  return {
    read: () => session,
    write(next) {
      session = next;
    },
  };
}
