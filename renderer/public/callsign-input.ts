/**
 * How every callsign field of the public page behaves: capitals on a phone keyboard, no
 * autocorrect or autofill, never run through a page translator, room for the longest call.
 */
export const CALLSIGN_INPUT = {
  autoComplete: 'off',
  autoCapitalize: 'characters',
  spellCheck: false,
  translate: 'no',
  maxLength: 32,
  placeholder: 'EA1ABC',
} as const;
