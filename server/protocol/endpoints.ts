/**
 * Where the server answers, on its one HTTP port: part of the wire contract, shared by the
 * gateway, the URL helpers and the renderer's transports, so a path cannot drift on one side.
 */
export const WS_PATH = '/api/ws';
export const HEALTH_PATH = '/health';
/** The pages: callers' public page, the operator console, the embeddable status card. */
export const PUBLIC_PAGE_PATH = '/';
export const CONSOLE_PATH = '/admin';
export const STATUS_PATH = '/status';
/** `GET` exports the QSO log as ADIF, `POST` imports one; both need `Authorization: Bearer`. */
export const ADIF_PATH = '/api/log.adi';
/** A WebSocket frame over this closes its connection with 1009. */
export const MAX_PAYLOAD_BYTES = 64 * 1024;
