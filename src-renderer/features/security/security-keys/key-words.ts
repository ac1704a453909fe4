import type { SecurityKeyType } from '../../../api/types.js';

/**
 * A key's type in words. "platform" is whatever authenticator is built into the device the key was
 * added on (a fingerprint reader, face unlock, Windows Hello): the server can't tell which device.
 */
export function keyTypeWords(type: SecurityKeyType): string {
  switch (type) {
    case 'usb':
      return 'USB security key';
    case 'platform':
      return 'Built-in authenticator';
    default:
      return 'Security key';
  }
}
